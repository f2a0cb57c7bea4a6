import type { ServerResponse } from 'node:http';
import { Injectable } from '@nestjs/common';
import { ChatChunkEncoder, encodeChatCompletion, encodeStreamError, openAiErrorBody } from '@switchboard/api-openai';
import type { ReplyFrame } from '@switchboard/messaging';
import type { ChatResult, Usage } from '@switchboard/spec';
import { SwitchboardError } from '@switchboard/spec';
import { writeErrorResponse } from '../http/error-response';
import type { StartedReply } from './chat-attempt.service';
import { routingHeaders } from './routing-headers';
import type { TimingContext } from './routing-headers';

export interface ResponseTiming {
  firstByteAt?: number;
  upstreamLatencyMs?: number;
  /** What the answer used, to settle budget reservations. */
  usage?: Usage;
}

export interface StreamContext extends TimingContext {
  requestModel: string;
  includeUsage: boolean;
}

/** Writes a started worker reply to the client: one JSON body, or Chat Completions SSE. */
@Injectable()
export class ChatResponseService {
  /** Writes the answer; resolves with the upstream's share of the time, for the overhead metric. */
  sendCompletion(response: ServerResponse, started: StartedReply, context: TimingContext): ResponseTiming {
    try {
      const frame = started.buffered[started.buffered.length - 1];
      if (frame?.kind !== 'result') {
        writeErrorResponse(response, context.requestId, new SwitchboardError('internal', 'The worker sent no result'));
        return {};
      }
      const result = frame.result as ChatResult;
      const body = JSON.stringify(encodeChatCompletion(result));
      response.writeHead(200, {
        ...routingHeaders(context, result.upstreamLatencyMs, result.usage),
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      });
      response.end(body);
      return { upstreamLatencyMs: result.upstreamLatencyMs, usage: result.usage };
    } finally {
      started.dispatch.finish();
    }
  }

  /**
   * Streams the parts as SSE. The router already waited for the first output, so headers go out
   * now; an error from here on is an in-band `data: {"error":...}` event and the stream ends
   * without `[DONE]` (never a fake finish).
   */
  async sendStream(response: ServerResponse, started: StartedReply, context: StreamContext): Promise<ResponseTiming> {
    const encoder = new ChatChunkEncoder({
      fallbackId: `chatcmpl-${context.requestId}`,
      fallbackModel: context.requestModel,
      includeUsage: context.includeUsage,
    });
    const pending = [...started.buffered];
    const next = (): Promise<ReplyFrame> => {
      const buffered = pending.shift();
      return buffered ? Promise.resolve(buffered) : started.dispatch.next();
    };
    let upstreamLatencyMs: number | undefined;
    for (const frame of started.buffered) {
      if (frame.kind !== 'parts') continue;
      for (const part of frame.parts) if (part.type === 'response-metadata') upstreamLatencyMs ??= part.upstreamLatencyMs;
    }
    response.writeHead(200, {
      ...routingHeaders(context, upstreamLatencyMs),
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const timing: ResponseTiming = { firstByteAt: Date.now(), upstreamLatencyMs };
    try {
      for (;;) {
        const frame = await next();
        if (frame.kind === 'parts') {
          const frames = encoder.encode(frame.parts);
          if (frames) response.write(frames);
        } else if (frame.kind === 'end') {
          response.end(encoder.finish());
          return { ...timing, usage: encoder.receivedUsage };
        } else if (frame.kind === 'error') {
          if (!response.destroyed) response.end(encodeStreamError(openAiErrorBody(frame.error.toPayload())));
          return { ...timing, usage: encoder.receivedUsage };
        } else {
          response.end();
          return timing;
        }
      }
    } finally {
      started.dispatch.finish();
    }
  }
}
