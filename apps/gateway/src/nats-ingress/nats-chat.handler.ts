import { Inject, Injectable } from '@nestjs/common';
import { ChatChunkEncoder, encodeChatCompletion, encodeEmbeddingResponse, parseChatRequest, parseEmbeddingRequest } from '@switchboard/api-openai';
import { embeddingUsage } from '@switchboard/provider-utils';
import { SwitchboardError } from '@switchboard/spec';
import type { ChatRequest, ChatResult, EmbeddingResult } from '@switchboard/spec';
import { ChatAttemptService } from '../chat/chat-attempt.service';
import type { StartedReply } from '../chat/chat-attempt.service';
import type { ResponseTiming } from '../chat/chat-response.service';
import { requestsByModelGroup, routeRequestFor, withoutRoutingFields } from '../routing/route-request';
import type { NatsCaller } from './nats-caller';
import { authorizeModel, callerFor } from './nats-request';
import type { NatsApiRequest } from './nats-request';
import { NatsRoutedCallService } from './nats-routed-call.service';

/** The chat completions and embeddings subjects of the public NATS API. */
@Injectable()
export class NatsChatHandler {
  constructor(
    @Inject(NatsRoutedCallService) private readonly calls: NatsRoutedCallService,
    @Inject(ChatAttemptService) private readonly attempts: ChatAttemptService,
  ) {}

  async completions(request: NatsApiRequest): Promise<void> {
    const chat = parseChatRequest(request.body);
    authorizeModel(request.verified, chat.model);
    const caller = callerFor(request.verified, chat.user, request.customerId);
    const forwarded = requestsByModelGroup(chat, withoutRoutingFields(chat), (merged) => withoutRoutingFields(parseChatRequest(merged)));
    await this.calls.run({
      request,
      route: routeRequestFor(chat.model, chat, {}, chat.messages),
      spanRequest: chat,
      caller,
      kind: 'chat',
      stream: chat.stream === true,
      maxTokens: chat.max_completion_tokens ?? chat.max_tokens ?? undefined,
      attempt: (deployment, trace, scope) =>
        this.attempts.chat({ ...forwarded(deployment.modelName), model: deployment.modelName }, deployment, trace, { requestId: request.requestId, caller, ...scope }),
      respond: async (started, connection) => {
        if (chat.stream) return this.stream(request, chat, started, connection);
        const result = finalResult<ChatResult>(started);
        request.reply.json(encodeChatCompletion(result));
        return { upstreamLatencyMs: result.upstreamLatencyMs, usage: result.usage };
      },
    });
  }

  async embeddings(request: NatsApiRequest): Promise<void> {
    const embedding = parseEmbeddingRequest(request.body);
    authorizeModel(request.verified, embedding.model);
    const caller = callerFor(request.verified, embedding.user, request.customerId);
    const forwarded = requestsByModelGroup(embedding, withoutRoutingFields(embedding), (merged) => withoutRoutingFields(parseEmbeddingRequest(merged)));
    await this.calls.run({
      request,
      route: routeRequestFor(embedding.model, embedding, {}),
      spanRequest: { model: embedding.model },
      caller,
      kind: 'embeddings',
      stream: false,
      maxTokens: 0,
      attempt: (deployment, trace, scope) =>
        this.attempts.embed({ ...forwarded(deployment.modelName), model: deployment.modelName }, deployment, trace, { requestId: request.requestId, caller, ...scope }),
      respond: async (started) => {
        const result = finalResult<EmbeddingResult>(started);
        request.reply.json(encodeEmbeddingResponse(result, embedding.encoding_format));
        return { usage: embeddingUsage(result) };
      },
    });
  }

  /**
   * Chunks as they come, then the end marker; an error after output is the last message (never a
   * fake finish). The router waited for the first output, so the first chunk goes out now.
   */
  private async stream(request: NatsApiRequest, chat: ChatRequest, started: StartedReply, connection: NatsCaller): Promise<ResponseTiming> {
    const { reply, requestId } = request;
    const encoder = new ChatChunkEncoder({ fallbackId: `chatcmpl-${requestId}`, fallbackModel: chat.model, includeUsage: chat.stream_options?.include_usage === true });
    const queue = [...started.buffered];
    const timing: ResponseTiming = { firstByteAt: Date.now(), upstreamLatencyMs: upstreamLatencyOf(started) };
    try {
      for (;;) {
        const frame = queue.shift() ?? (await started.dispatch.next());
        if (frame.kind === 'parts') {
          for (const chunk of encoder.chunks(frame.parts)) reply.chunk(chunk, connection.probe);
        } else if (frame.kind === 'end') {
          const usageChunk = encoder.usageChunk();
          if (usageChunk) reply.chunk(usageChunk);
          reply.end();
          return { ...timing, usage: encoder.receivedUsage };
        } else {
          const error = frame.kind === 'error' ? frame.error : new SwitchboardError('internal', 'Unexpected reply');
          if (!connection.closed) reply.error(error, true);
          return { ...timing, usage: encoder.receivedUsage };
        }
      }
    } finally {
      started.dispatch.finish();
    }
  }
}

/** The upstream's share of the time to the first output, as the worker measured it (for the overhead metric). */
function upstreamLatencyOf(started: StartedReply): number | undefined {
  for (const frame of started.buffered) {
    if (frame.kind !== 'parts') continue;
    for (const part of frame.parts) if (part.type === 'response-metadata' && part.upstreamLatencyMs !== undefined) return part.upstreamLatencyMs;
  }
  return undefined;
}

/** The whole answer of a non-streamed call: the worker's last frame. */
function finalResult<T>(started: StartedReply): T {
  started.dispatch.finish();
  const frame = started.buffered[started.buffered.length - 1];
  if (frame?.kind !== 'result') throw new SwitchboardError('internal', 'The worker sent no result');
  return frame.result as T;
}
