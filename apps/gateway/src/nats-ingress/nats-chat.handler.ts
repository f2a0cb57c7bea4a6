import { Inject, Injectable } from '@nestjs/common';
import { ChatChunkEncoder, encodeChatCompletion, encodeEmbeddingResponse, parseChatRequest, parseEmbeddingRequest } from '@switchboard/api-openai';
import { embeddingUsage } from '@switchboard/provider-utils';
import { SwitchboardError } from '@switchboard/spec';
import type { ChatRequest, ChatResult, EmbeddingResult, Usage } from '@switchboard/spec';
import { ChatAttemptService } from '../chat/chat-attempt.service';
import type { StartedReply } from '../chat/chat-attempt.service';
import { routeRequestFor, withoutRoutingFields } from '../routing/route-request';
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
    const caller = callerFor(request.verified, chat.user);
    const forwarded = withoutRoutingFields(chat);
    await this.calls.run({
      request,
      route: routeRequestFor(chat.model, chat, {}, chat.messages),
      caller,
      callType: 'chat',
      stream: chat.stream === true,
      maxTokens: chat.max_completion_tokens ?? chat.max_tokens ?? undefined,
      attempt: (deployment, trace, connection) =>
        this.attempts.chat({ ...forwarded, model: deployment.modelName }, deployment, trace, { requestId: request.requestId, caller, connection }),
      respond: async (started, connection) => {
        if (chat.stream) return this.stream(request, chat, started, connection);
        const result = finalResult<ChatResult>(started);
        request.reply.json(encodeChatCompletion(result));
        return result.usage;
      },
    });
  }

  async embeddings(request: NatsApiRequest): Promise<void> {
    const embedding = parseEmbeddingRequest(request.body);
    authorizeModel(request.verified, embedding.model);
    const caller = callerFor(request.verified, embedding.user);
    const forwarded = withoutRoutingFields(embedding);
    await this.calls.run({
      request,
      route: routeRequestFor(embedding.model, embedding, {}),
      caller,
      callType: 'embedding',
      stream: false,
      maxTokens: 0,
      attempt: (deployment, trace, connection) =>
        this.attempts.embed({ ...forwarded, model: deployment.modelName }, deployment, trace, { requestId: request.requestId, caller, connection }),
      respond: async (started) => {
        const result = finalResult<EmbeddingResult>(started);
        request.reply.json(encodeEmbeddingResponse(result, embedding.encoding_format));
        return embeddingUsage(result);
      },
    });
  }

  /** Chunks as they come, then the end marker; an error after output is the last message (never a fake finish). */
  private async stream(request: NatsApiRequest, chat: ChatRequest, started: StartedReply, connection: NatsCaller): Promise<Usage | undefined> {
    const { reply, requestId } = request;
    const encoder = new ChatChunkEncoder({ fallbackId: `chatcmpl-${requestId}`, fallbackModel: chat.model, includeUsage: chat.stream_options?.include_usage === true });
    const queue = [...started.buffered];
    try {
      for (;;) {
        const frame = queue.shift() ?? (await started.dispatch.next());
        if (frame.kind === 'parts') {
          for (const chunk of encoder.chunks(frame.parts)) reply.chunk(chunk, connection.probe);
        } else if (frame.kind === 'end') {
          const usageChunk = encoder.usageChunk();
          if (usageChunk) reply.chunk(usageChunk);
          reply.end();
          return encoder.receivedUsage;
        } else {
          const error = frame.kind === 'error' ? frame.error : new SwitchboardError('internal', 'Unexpected reply');
          if (!connection.closed) reply.error(error, true);
          return encoder.receivedUsage;
        }
      }
    } finally {
      started.dispatch.finish();
    }
  }
}

/** The whole answer of a non-streamed call: the worker's last frame. */
function finalResult<T>(started: StartedReply): T {
  started.dispatch.finish();
  const frame = started.buffered[started.buffered.length - 1];
  if (frame?.kind !== 'result') throw new SwitchboardError('internal', 'The worker sent no result');
  return frame.result as T;
}
