import { Inject, Injectable } from '@nestjs/common';
import { parseResponsesRequest } from '@switchboard/api-responses';
import type { ResponseStreamEvent } from '@switchboard/api-responses';
import { ChatAttemptService } from '../chat/chat-attempt.service';
import { requestsByModelGroup, routeRequestFor } from '../routing/route-request';
import { ResponsesService } from '../responses/responses.service';
import type { ResponseEventSink } from '../responses/responses.service';
import type { NatsCaller } from './nats-caller';
import type { NatsReply } from './nats-reply';
import { authorizeModel, callerFor } from './nats-request';
import type { NatsApiRequest } from './nats-request';
import { NatsRoutedCallService } from './nats-routed-call.service';

/**
 * The Responses subject of the public NATS API: the same bridge to chat, sessions (bound to the
 * key, shared with HTTP `/v1/responses`), admission and usage as HTTP. Streamed, each Responses
 * event is one chunk message.
 */
@Injectable()
export class NatsResponsesHandler {
  constructor(
    @Inject(NatsRoutedCallService) private readonly calls: NatsRoutedCallService,
    @Inject(ChatAttemptService) private readonly attempts: ChatAttemptService,
    @Inject(ResponsesService) private readonly responses: ResponsesService,
  ) {}

  async create(request: NatsApiRequest): Promise<void> {
    const receivedAt = Date.now();
    const responsesRequest = parseResponsesRequest(request.body);
    authorizeModel(request.verified, responsesRequest.model);
    const caller = callerFor(request.verified, responsesRequest.user, request.customerId);
    const call = await this.responses.prepare(responsesRequest, caller);
    const chat = call.chat;
    const chatFor = requestsByModelGroup(responsesRequest, chat, (merged) => this.responses.chatFor(call, parseResponsesRequest(merged)));
    await this.calls.run({
      request,
      route: { ...routeRequestFor(chat.model, responsesRequest, {}, chat.messages), preferDeploymentId: call.previousDeploymentId },
      spanRequest: chat,
      caller,
      kind: 'responses',
      stream: chat.stream === true,
      maxTokens: chat.max_tokens ?? undefined,
      attempt: (deployment, trace, scope) => this.attempts.chat({ ...chatFor(deployment.modelName), model: deployment.modelName }, deployment, trace, { requestId: request.requestId, caller, ...scope }),
      respond: async (started, connection) => {
        const builder = this.responses.builder(call, started, request.requestId, receivedAt);
        if (chat.stream) {
          const firstByteAt = Date.now();
          const { usage } = await this.responses.stream(call, started, builder, eventMessages(request.reply, connection));
          return { firstByteAt, usage };
        }
        const { response, usage } = await this.responses.complete(call, started, builder);
        request.reply.json(response);
        return { usage };
      },
    });
  }
}

/**
 * Each event is one chunk message, then the end marker. A failure after output sends
 * `response.failed` (as HTTP does), then the stream's `error` message, so NATS callers see every
 * stream end the same way.
 */
function eventMessages(reply: NatsReply, connection: NatsCaller): ResponseEventSink {
  const write = (events: readonly ResponseStreamEvent[]) => {
    for (const event of events) reply.chunk(event, connection.probe);
  };
  return {
    get closed() {
      return connection.closed;
    },
    write,
    end: (events) => {
      write(events);
      reply.end();
    },
    fail: (events, error) => {
      write(events);
      reply.error(error, true);
    },
  };
}
