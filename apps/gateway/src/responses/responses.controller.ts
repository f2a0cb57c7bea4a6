import type { ServerResponse } from 'node:http';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ResponseBuilder, convertResponsesRequest, parseResponseId, parseResponsesRequest, responseId } from '@switchboard/api-responses';
import type { ResponsesRequest } from '@switchboard/api-responses';
import type { StoredResponse } from '@switchboard/data-access-responses';
import { SwitchboardError } from '@switchboard/spec';
import type { ChatMessage, ChatRequest, ChatResult } from '@switchboard/spec';
import { AuthGuard } from '../auth/auth.guard';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { ChatAttemptService } from '../chat/chat-attempt.service';
import type { StartedReply } from '../chat/chat-attempt.service';
import type { ResponseTiming } from '../chat/chat-response.service';
import { authorizeModel, callerFor } from '../chat/request-context';
import { RoutedCallService } from '../chat/routed-call.service';
import { routingHeaders } from '../chat/routing-headers';
import { routeRequestFor } from '../routing/route-request';
import { responseOwner } from './response-owner';
import { ResponseStoreService } from './response-store.service';

/**
 * OpenAI's Responses API for every provider, bridged to chat. Conversation state is stored before
 * the final event, so `previous_response_id` works at once, streamed or not, on any instance.
 */
@Controller()
@UseGuards(AuthGuard)
export class ResponsesController {
  constructor(
    @Inject(RoutedCallService) private readonly calls: RoutedCallService,
    @Inject(ChatAttemptService) private readonly attempts: ChatAttemptService,
    @Inject(ResponseStoreService) private readonly store: ResponseStoreService,
  ) {}

  @Post(['v1/responses', 'responses'])
  @HttpCode(200)
  async create(@Req() request: AuthenticatedRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const responsesRequest = parseResponsesRequest(body);
    authorizeModel(request, responsesRequest.model);
    const caller = callerFor(request, responsesRequest.user);
    const owner = responseOwner(caller);
    const previous = responsesRequest.previous_response_id ? await this.owned(responsesRequest.previous_response_id, owner, 'previous_response_id') : undefined;
    const chat = convertResponsesRequest(responsesRequest, (previous?.messages ?? []) as ChatMessage[]);
    await this.calls.run({
      request,
      reply,
      route: { ...routeRequestFor(chat.model, responsesRequest, request.headers, chat.messages), preferDeploymentId: previous?.deploymentId },
      spanRequest: chat,
      caller,
      kind: 'responses',
      stream: chat.stream === true,
      maxTokens: chat.max_tokens ?? undefined,
      attempt: (deployment, trace, scope) => this.attempts.chat({ ...chat, model: deployment.modelName }, deployment, trace, { requestId: request.id, caller, ...scope }),
      respond: (started, context) => {
        const builder = new ResponseBuilder({
          id: responseId(started.deployment.id, request.id),
          model: responsesRequest.model,
          createdAt: Math.floor(context.startedAt / 1000),
          instructions: responsesRequest.instructions,
          previousResponseId: responsesRequest.previous_response_id,
          store: responsesRequest.store !== false,
          metadata: responsesRequest.metadata,
          maxOutputTokens: responsesRequest.max_output_tokens,
          temperature: responsesRequest.temperature,
          topP: responsesRequest.top_p,
          tools: responsesRequest.tools,
          toolChoice: responsesRequest.tool_choice,
          text: responsesRequest.text,
          parallelToolCalls: responsesRequest.parallel_tool_calls,
        });
        const headers = routingHeaders(context);
        const save = (status: string) => this.save(builder, status, started, responsesRequest, chat, owner);
        return chat.stream ? this.stream(reply.raw, started, builder, headers, save) : this.complete(reply.raw, started, builder, headers, save);
      },
    });
  }

  @Get(['v1/responses/:id', 'responses/:id'])
  async retrieve(@Req() request: AuthenticatedRequest, @Param('id') id: string) {
    return (await this.owned(id, responseOwner(callerFor(request, undefined)), 'id')).response;
  }

  @Get(['v1/responses/:id/input_items', 'responses/:id/input_items'])
  async inputItems(@Req() request: AuthenticatedRequest, @Param('id') id: string) {
    const stored = await this.owned(id, responseOwner(callerFor(request, undefined)), 'id');
    const items = [...stored.inputItems].reverse() as Array<{ id: string }>;
    return { object: 'list', data: items, first_id: items[0]?.id ?? null, last_id: items.at(-1)?.id ?? null, has_more: false };
  }

  @Delete(['v1/responses/:id', 'responses/:id'])
  async remove(@Req() request: AuthenticatedRequest, @Param('id') id: string) {
    const owner = responseOwner(callerFor(request, undefined));
    await this.owned(id, owner, 'id');
    await this.store.delete(id, owner);
    return { id, object: 'response', deleted: true };
  }

  /** A stored response of this owner; anything else (absent, deleted, another key's, `store: false`) is 404. */
  private async owned(id: string, owner: string, param: string): Promise<StoredResponse> {
    parseResponseId(id);
    const stored = await this.store.find(id);
    if (!stored || stored.owner !== owner) {
      throw new SwitchboardError('not_found', `No response found with id '${id}' (responses created with store: false are not kept)`, { param });
    }
    return stored;
  }

  private async save(builder: ResponseBuilder, status: string, started: StartedReply, request: ResponsesRequest, chat: ChatRequest, owner: string): Promise<void> {
    if (request.store === false) return;
    const response = builder.response(status);
    const inputs = typeof request.input === 'string' ? [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: request.input }] }] : (request.input ?? []);
    const id = String(response.id);
    await this.store.save({
      id,
      owner,
      deploymentId: started.deployment.id,
      modelGroup: started.deployment.modelName,
      previousResponseId: request.previous_response_id ?? null,
      status,
      inputItems: inputs.map((item, index) => ({ id: `msg_${id.slice(5)}_in${index}`, ...item })),
      messages: [...chat.messages.filter((message) => message.role !== 'system'), builder.assistantMessage()],
      response,
    });
  }

  private async complete(response: ServerResponse, started: StartedReply, builder: ResponseBuilder, headers: Record<string, string>, save: (status: string) => Promise<void>): Promise<ResponseTiming> {
    started.dispatch.finish();
    const frame = started.buffered[started.buffered.length - 1];
    if (frame?.kind !== 'result') throw new SwitchboardError('internal', 'The worker sent no result');
    builder.absorb(frame.result as ChatResult);
    await save(builder.status());
    const text = JSON.stringify(builder.response(builder.status()));
    response.writeHead(200, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    response.end(text);
    return { usage: (frame.result as ChatResult).usage };
  }

  private async stream(response: ServerResponse, started: StartedReply, builder: ResponseBuilder, headers: Record<string, string>, save: (status: string) => Promise<void>): Promise<ResponseTiming> {
    response.writeHead(200, { ...headers, 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    response.write(builder.start());
    const firstByteAt = Date.now();
    try {
      const queue = [...started.buffered];
      for (;;) {
        const frame = queue.shift() ?? (await started.dispatch.next());
        if (frame.kind === 'parts') {
          const out = builder.encode(frame.parts);
          if (out) response.write(out);
        } else if (frame.kind === 'end') {
          const closing = builder.finish();
          // Stored before the final event, so the id can be chained the moment the client sees it.
          await save(builder.status()).catch(() => undefined);
          response.end(closing);
          return { firstByteAt, usage: builder.usage };
        } else {
          const error = frame.kind === 'error' ? frame.error : new SwitchboardError('internal', 'Unexpected reply');
          if (!response.destroyed) response.end(builder.failed(error.toPayload()));
          return { firstByteAt, usage: builder.usage };
        }
      }
    } finally {
      started.dispatch.finish();
    }
  }
}
