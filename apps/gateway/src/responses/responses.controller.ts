import type { ServerResponse } from 'node:http';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { parseResponsesRequest, toServerSentEvents } from '@switchboard/api-responses';
import { AuthGuard } from '../auth/auth.guard';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { ChatAttemptService } from '../chat/chat-attempt.service';
import { authorizeModel, callerFor } from '../chat/request-context';
import { RoutedCallService } from '../chat/routed-call.service';
import { routingHeaders } from '../chat/routing-headers';
import { requestsByModelGroup, routeRequestFor } from '../routing/route-request';
import { responseOwner } from './response-owner';
import { ResponsesService } from './responses.service';
import type { ResponseEventSink } from './responses.service';

/** OpenAI's Responses API over HTTP; the bridge to chat and the sessions are ResponsesService's. */
@Controller()
@UseGuards(AuthGuard)
export class ResponsesController {
  constructor(
    @Inject(RoutedCallService) private readonly calls: RoutedCallService,
    @Inject(ChatAttemptService) private readonly attempts: ChatAttemptService,
    @Inject(ResponsesService) private readonly responses: ResponsesService,
  ) {}

  @Post(['v1/responses', 'responses'])
  @HttpCode(200)
  async create(@Req() request: AuthenticatedRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const responsesRequest = parseResponsesRequest(body);
    authorizeModel(request, responsesRequest.model);
    const caller = callerFor(request, responsesRequest.user);
    const call = await this.responses.prepare(responsesRequest, caller);
    const chat = call.chat;
    const chatFor = requestsByModelGroup(responsesRequest, chat, (merged) => this.responses.chatFor(call, parseResponsesRequest(merged)));
    await this.calls.run({
      request,
      reply,
      route: { ...routeRequestFor(chat.model, responsesRequest, request.headers, chat.messages), preferDeploymentId: call.previousDeploymentId },
      spanRequest: chat,
      caller,
      kind: 'responses',
      stream: chat.stream === true,
      maxTokens: chat.max_tokens ?? undefined,
      attempt: (deployment, trace, scope) => this.attempts.chat({ ...chatFor(deployment.modelName), model: deployment.modelName }, deployment, trace, { requestId: request.id, caller, ...scope }),
      respond: async (started, context) => {
        const builder = this.responses.builder(call, started, request.id, context.startedAt);
        const headers = routingHeaders(context);
        if (!chat.stream) {
          const { response, usage } = await this.responses.complete(call, started, builder);
          const text = JSON.stringify(response);
          reply.raw.writeHead(200, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
          reply.raw.end(text);
          return { usage };
        }
        reply.raw.writeHead(200, { ...headers, 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
        const firstByteAt = Date.now();
        const { usage } = await this.responses.stream(call, started, builder, serverSentEvents(reply.raw));
        return { firstByteAt, usage };
      },
    });
  }

  @Get(['v1/responses/:id', 'responses/:id'])
  async retrieve(@Req() request: AuthenticatedRequest, @Param('id') id: string) {
    return (await this.responses.owned(id, responseOwner(callerFor(request, undefined)), 'id')).response;
  }

  @Get(['v1/responses/:id/input_items', 'responses/:id/input_items'])
  async inputItems(@Req() request: AuthenticatedRequest, @Param('id') id: string) {
    const stored = await this.responses.owned(id, responseOwner(callerFor(request, undefined)), 'id');
    const items = [...stored.inputItems].reverse() as Array<{ id: string }>;
    return { object: 'list', data: items, first_id: items[0]?.id ?? null, last_id: items.at(-1)?.id ?? null, has_more: false };
  }

  @Delete(['v1/responses/:id', 'responses/:id'])
  async remove(@Req() request: AuthenticatedRequest, @Param('id') id: string) {
    await this.responses.remove(id, responseOwner(callerFor(request, undefined)));
    return { id, object: 'response', deleted: true };
  }
}

/** The HTTP stream: OpenAI's Server-Sent Events; a failure ends it with `response.failed`. */
function serverSentEvents(response: ServerResponse): ResponseEventSink {
  return {
    get closed() {
      return response.destroyed;
    },
    write: (events) => {
      response.write(toServerSentEvents(events));
    },
    end: (events) => {
      response.end(toServerSentEvents(events));
    },
    fail: (events) => {
      response.end(toServerSentEvents(events));
    },
  };
}
