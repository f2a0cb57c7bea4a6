import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ChatChunkEncoder, encodeChatCompletion, encodeStreamError, openAiErrorBody } from '@switchboard/api-openai';
import type { ModelDeployment } from '@switchboard/config';
import type { ChatResult, StreamPart } from '@switchboard/spec';
import { SwitchboardError } from '@switchboard/spec';
import { writeErrorResponse } from '../http/error-response';
import type { Dispatch } from './worker-dispatch.service';

interface ResponseContext {
  requestId: string;
  deployment: ModelDeployment;
  requestModel: string;
  startedAt: number;
}

/** Writes a worker's reply to the client: one JSON body, or Chat Completions SSE. */
@Injectable()
export class ChatResponseService {
  async sendCompletion(reply: FastifyReply, dispatch: Dispatch, context: ResponseContext): Promise<void> {
    const stopWatching = watchClient(reply, dispatch);
    try {
      const frame = await dispatch.next();
      if (frame.kind === 'result') {
        const body = JSON.stringify(encodeChatCompletion(frame.result as ChatResult));
        reply.raw.writeHead(200, {
          ...successHeaders(context),
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        });
        reply.raw.end(body);
      } else if (frame.kind === 'error') {
        writeErrorResponse(reply.raw, context.requestId, frame.error);
      } else {
        writeErrorResponse(reply.raw, context.requestId, new SwitchboardError('internal', 'The worker sent no result'));
      }
    } finally {
      stopWatching();
      dispatch.finish();
    }
  }

  /**
   * Streams parts as SSE. Headers wait until the first part with output: an error before any
   * output is still a proper JSON error with its status. After that, an error is an in-band
   * `data: {"error":...}` event and the stream ends without `[DONE]`.
   */
  async sendStream(reply: FastifyReply, dispatch: Dispatch, context: ResponseContext, includeUsage: boolean): Promise<void> {
    const encoder = new ChatChunkEncoder({
      fallbackId: `chatcmpl-${context.requestId}`,
      fallbackModel: context.requestModel,
      includeUsage,
    });
    const response = reply.raw;
    const stopWatching = watchClient(reply, dispatch);
    let started = false;
    const start = () => {
      started = true;
      response.writeHead(200, {
        ...successHeaders(context),
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
    };
    try {
      for (;;) {
        const frame = await dispatch.next();
        if (frame.kind === 'parts') {
          if (!started && !hasOutput(frame.parts)) {
            encoder.encode(frame.parts);
            continue;
          }
          if (!started) start();
          const frames = encoder.encode(frame.parts);
          if (frames) response.write(frames);
        } else if (frame.kind === 'end') {
          if (!started) start();
          response.end(encoder.finish());
          return;
        } else if (frame.kind === 'error') {
          if (response.destroyed) return;
          if (!started) {
            writeErrorResponse(response, context.requestId, frame.error);
          } else {
            response.end(encodeStreamError(openAiErrorBody(frame.error.toPayload())));
          }
          return;
        } else {
          if (!started) writeErrorResponse(response, context.requestId, new SwitchboardError('internal', 'Unexpected reply'));
          else response.end();
          return;
        }
      }
    } finally {
      stopWatching();
      dispatch.finish();
    }
  }
}

function hasOutput(parts: readonly StreamPart[]): boolean {
  return parts.some((part) => part.type !== 'response-metadata' && part.type !== 'warning' && part.type !== 'usage');
}

function successHeaders(context: ResponseContext): Record<string, string> {
  return {
    'x-request-id': context.requestId,
    'x-litellm-call-id': context.requestId,
    'x-litellm-model-id': context.deployment.id,
    'x-litellm-model-group': context.deployment.modelName,
    'x-litellm-response-duration-ms': String(Date.now() - context.startedAt),
  };
}

/** Cancels the dispatch when the client's connection closes before the response is complete. */
function watchClient(reply: FastifyReply, dispatch: Dispatch): () => void {
  const response = reply.raw;
  const onClose = () => {
    if (!response.writableFinished) dispatch.cancel();
  };
  response.on('close', onClose);
  return () => response.off('close', onClose);
}
