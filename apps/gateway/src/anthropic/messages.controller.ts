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
import type { ReplyFrame } from '@switchboard/messaging';
import type { RouteTrace } from '@switchboard/router';
import type { ChatResult } from '@switchboard/spec';
import { SwitchboardError } from '@switchboard/spec';
import { AuthGuard } from '../auth/auth.guard';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { ChatAttemptService } from '../chat/chat-attempt.service';
import type { StartedReply } from '../chat/chat-attempt.service';
import { ClientConnection } from '../chat/client-connection';
import { authorizeModel, callerFor, traceHeaders } from '../chat/request-context';
import { routingHeaders } from '../chat/routing-headers';
import { toSwitchboardError } from '../http/error-response';
import { ModelRouter } from '../routing/model-router.service';
import { routeRequestFor } from '../routing/route-request';
import { GatewayMetricsService } from '../metrics/gateway-metrics.service';
import { FailedRequestUsageService } from '../usage/failed-request-usage.service';
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
    @Inject(ModelRouter) private readonly router: ModelRouter,
    @Inject(ChatAttemptService) private readonly attempts: ChatAttemptService,
    @Inject(FailedRequestUsageService) private readonly failedUsage: FailedRequestUsageService,
    @Inject(GatewayMetricsService) private readonly metrics: GatewayMetricsService,
  ) {}

  @Post('v1/messages/count_tokens')
  @HttpCode(200)
  countTokens(@Body() body: unknown) {
    const parsed = countTokensRequestSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new SwitchboardError('invalid_request', `${issue.path.join('.')}: ${issue.message}`, { param: issue.path.join('.') || null });
    }
    return { input_tokens: estimateInputTokens(convertMessagesRequest({ ...parsed.data, max_tokens: 1 })) };
  }

  @Post('v1/messages')
  @HttpCode(200)
  async create(@Req() request: AuthenticatedRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const startedAt = Date.now();
    const messagesRequest = parseMessagesRequest(body);
    authorizeModel(request, messagesRequest.model);
    const chat = convertMessagesRequest(messagesRequest);
    const route = routeRequestFor(chat.model, messagesRequest, request.headers, chat.messages);
    const caller = callerFor(request, chat.user);
    const trace: RouteTrace = { attemptedRetries: 0, attemptedFallbacks: 0, modelGroup: chat.model };
    const messageId = `msg_${request.id.slice(4)}`;
    reply.hijack();
    const connection = new ClientConnection(reply.raw);
    try {
      const started = await this.router.execute(
        route,
        (deployment, currentTrace) =>
          this.attempts.chat({ ...chat, model: deployment.modelName }, deployment, currentTrace, {
            requestId: request.id,
            caller,
            connection,
            ...traceHeaders(request),
          }),
        trace,
      );
      const headers = { ...routingHeaders({ requestId: request.id, startedAt, trace }), 'request-id': request.id };
      if (chat.stream) await this.stream(reply.raw, started, new MessageStreamEncoder(messageId, chat.model), headers, request.id);
      else this.complete(reply.raw, started, headers, chat.model, messageId, request.id);
    } catch (error) {
      const failure = toSwitchboardError(error);
      if (!reply.raw.headersSent) {
        this.failedUsage.record({ requestId: request.id, callType: 'chat', stream: chat.stream === true, receivedAt: startedAt, caller, trace, error: failure });
        anthropicErrorResponse(reply.raw, request.id, failure);
      }
    } finally {
      connection.release();
      this.metrics.record({ route: 'messages', requestId: request.id, keyAlias: caller.keyAlias, teamId: caller.teamId, trace, status: reply.raw.statusCode, startedAt });
    }
  }

  private complete(response: ServerResponse, started: StartedReply, headers: Record<string, string>, model: string, messageId: string, requestId: string): void {
    started.dispatch.finish();
    const frame = started.buffered[started.buffered.length - 1];
    if (frame?.kind !== 'result') {
      anthropicErrorResponse(response, requestId, new SwitchboardError('internal', 'The worker sent no result'));
      return;
    }
    const text = JSON.stringify(encodeMessage(frame.result as ChatResult, model, messageId));
    response.writeHead(200, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    response.end(text);
  }

  private async stream(response: ServerResponse, started: StartedReply, encoder: MessageStreamEncoder, headers: Record<string, string>, requestId: string): Promise<void> {
    const pending = [...started.buffered];
    const next = (): Promise<ReplyFrame> => {
      const buffered = pending.shift();
      return buffered ? Promise.resolve(buffered) : started.dispatch.next();
    };
    response.writeHead(200, { ...headers, 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    try {
      for (;;) {
        const frame = await next();
        if (frame.kind === 'parts') {
          const out = encoder.encode(frame.parts);
          if (out) response.write(out);
        } else if (frame.kind === 'end') {
          response.end(encoder.finish());
          return;
        } else {
          const error = frame.kind === 'error' ? frame.error : new SwitchboardError('internal', 'Unexpected reply');
          if (!response.destroyed) response.end(encoder.error(error.toPayload(), requestId));
          return;
        }
      }
    } finally {
      started.dispatch.finish();
    }
  }
}
