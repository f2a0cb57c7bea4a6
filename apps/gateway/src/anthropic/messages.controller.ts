import type { ServerResponse } from 'node:http';
import { Body, Controller, HttpCode, Inject, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  MessageStreamEncoder,
  convertMessagesRequest,
  countTokensRequestSchema,
  encodeMessage,
  estimateInputTokens,
  parseMessagesRequest,
} from '@switchboard/api-anthropic';
import type { MessagesRequest } from '@switchboard/api-anthropic';
import type { ReplyFrame } from '@switchboard/messaging';
import type { ChatRequest, ChatResult } from '@switchboard/spec';
import { SwitchboardError, quoteInput } from '@switchboard/spec';
import { AuthGuard } from '../auth/auth.guard';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { ChatAttemptService } from '../chat/chat-attempt.service';
import type { StartedReply } from '../chat/chat-attempt.service';
import type { ResponseTiming } from '../chat/chat-response.service';
import { authorizeModel, callerFor } from '../chat/request-context';
import { RoutedCallService } from '../chat/routed-call.service';
import { routingHeaders } from '../chat/routing-headers';
import { requestsByModelGroup, routeRequestFor } from '../routing/route-request';
import { AnthropicExceptionFilter, anthropicErrorResponse } from './anthropic-exception.filter';

/**
 * Anthropic's Messages API in front of every provider: the request is translated to the canonical
 * form, routed like a chat completion, and the answer encoded back as Anthropic JSON or SSE.
 */
@Controller()
@UseGuards(AuthGuard)
@UseFilters(AnthropicExceptionFilter)
export class MessagesController {
  constructor(
    @Inject(RoutedCallService) private readonly calls: RoutedCallService,
    @Inject(ChatAttemptService) private readonly attempts: ChatAttemptService,
  ) {}

  @Post('v1/messages/count_tokens')
  @HttpCode(200)
  countTokens(@Body() body: unknown) {
    const parsed = countTokensRequestSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new SwitchboardError('invalid_request', `${quoteInput(issue.path.join('.'))}: ${quoteInput(issue.message, 300)}`, { param: issue.path.join('.') || null });
    }
    return { input_tokens: estimateInputTokens(convertMessagesRequest({ ...parsed.data, max_tokens: 1 })) };
  }

  @Post('v1/messages')
  @HttpCode(200)
  async create(@Req() request: AuthenticatedRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const messagesRequest = parseMessagesRequest(body);
    authorizeModel(request, messagesRequest.model);
    // Forwarded to Anthropic deployments (Anthropic adapters read them; other providers ignore them).
    const beta = request.headers['anthropic-beta'];
    const toChat = (parsed: MessagesRequest): ChatRequest => {
      const converted = convertMessagesRequest(parsed);
      if (typeof beta === 'string' && beta) converted.anthropic_beta = beta;
      return converted;
    };
    const chat = toChat(messagesRequest);
    const chatFor = requestsByModelGroup(messagesRequest, chat, (merged) => toChat(parseMessagesRequest(merged)));
    const caller = callerFor(request, chat.user);
    const messageId = `msg_${request.id.slice(4)}`;
    await this.calls.run({
      request,
      reply,
      route: routeRequestFor(chat.model, messagesRequest, request.headers, chat.messages),
      spanRequest: chat,
      caller,
      kind: 'messages',
      stream: chat.stream === true,
      maxTokens: messagesRequest.max_tokens,
      attempt: (deployment, trace, scope) => this.attempts.chat({ ...chatFor(deployment.modelName), model: deployment.modelName }, deployment, trace, { requestId: request.id, caller, ...scope }),
      respond: (started, context) => {
        const headers = { ...routingHeaders(context), 'request-id': request.id };
        if (chat.stream) return this.stream(reply.raw, started, new MessageStreamEncoder(messageId, chat.model), headers, request.id);
        return this.complete(reply.raw, started, headers, chat.model, messageId, request.id);
      },
      writeError: (failure) => anthropicErrorResponse(reply.raw, request.id, failure),
    });
  }

  private complete(response: ServerResponse, started: StartedReply, headers: Record<string, string>, model: string, messageId: string, requestId: string): ResponseTiming {
    started.dispatch.finish();
    const frame = started.buffered[started.buffered.length - 1];
    if (frame?.kind !== 'result') {
      anthropicErrorResponse(response, requestId, new SwitchboardError('internal', 'The worker sent no result'));
      return {};
    }
    const text = JSON.stringify(encodeMessage(frame.result as ChatResult, model, messageId));
    response.writeHead(200, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    response.end(text);
    return { usage: (frame.result as ChatResult).usage };
  }

  private async stream(response: ServerResponse, started: StartedReply, encoder: MessageStreamEncoder, headers: Record<string, string>, requestId: string): Promise<ResponseTiming> {
    const pending = [...started.buffered];
    const next = (): Promise<ReplyFrame> => {
      const buffered = pending.shift();
      return buffered ? Promise.resolve(buffered) : started.dispatch.next();
    };
    response.writeHead(200, { ...headers, 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    const firstByteAt = Date.now();
    try {
      for (;;) {
        const frame = await next();
        if (frame.kind === 'parts') {
          const out = encoder.encode(frame.parts);
          if (out) response.write(out);
        } else if (frame.kind === 'end') {
          response.end(encoder.finish());
          return { firstByteAt, usage: encoder.receivedUsage };
        } else {
          const error = frame.kind === 'error' ? frame.error : new SwitchboardError('internal', 'Unexpected reply');
          if (!response.destroyed) response.end(encoder.error(error.toPayload(), requestId));
          return { firstByteAt, usage: encoder.receivedUsage };
        }
      }
    } finally {
      started.dispatch.finish();
    }
  }
}
