import { Body, Controller, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { parseChatRequest } from '@switchboard/api-openai';
import type { RouteTrace } from '@switchboard/router';
import { AuthGuard } from '../auth/auth.guard';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { toSwitchboardError, writeErrorResponse } from '../http/error-response';
import { ModelRouter } from '../routing/model-router.service';
import { requestTimeouts, routeRequestFor, withoutRoutingFields } from '../routing/route-request';
import { FailedRequestUsageService } from '../usage/failed-request-usage.service';
import { ChatAttemptService } from './chat-attempt.service';
import { ChatResponseService } from './chat-response.service';
import type { ResponseTiming } from './chat-response.service';
import { GatewayMetricsService } from '../metrics/gateway-metrics.service';
import { ClientConnection } from './client-connection';
import { authorizeModel, callerFor } from './request-context';
import { TRACING } from '../bootstrap/tokens';
import type { Tracing } from '@switchboard/observability';
import { RequestSpan } from '../tracing/request-span';
import { AdmissionService } from '../admission/admission.service';
import { routingHeaders } from './routing-headers';

@Controller()
@UseGuards(AuthGuard)
export class ChatController {
  constructor(
    @Inject(ModelRouter) private readonly router: ModelRouter,
    @Inject(ChatAttemptService) private readonly attempts: ChatAttemptService,
    @Inject(ChatResponseService) private readonly responses: ChatResponseService,
    @Inject(FailedRequestUsageService) private readonly failedUsage: FailedRequestUsageService,
    @Inject(GatewayMetricsService) private readonly metrics: GatewayMetricsService,
    @Inject(TRACING) private readonly tracing: Tracing,
    @Inject(AdmissionService) private readonly admission: AdmissionService,
  ) {}

  @Post(['v1/chat/completions', 'chat/completions'])
  @HttpCode(200)
  async create(@Req() request: AuthenticatedRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const startedAt = Date.now();
    const chatRequest = parseChatRequest(body);
    authorizeModel(request, chatRequest.model);
    const route = routeRequestFor(chatRequest.model, chatRequest, request.headers, chatRequest.messages);
    const timeouts = requestTimeouts(chatRequest, request.headers);
    const forwarded = withoutRoutingFields(chatRequest);
    const caller = callerFor(request, chatRequest.user);
    const trace: RouteTrace = { attemptedRetries: 0, attemptedFallbacks: 0, modelGroup: chatRequest.model };
    const context = { requestId: request.id, startedAt, trace };
    const reservation = await this.admission.admit(request.id, chatRequest.model, route.promptTokens ?? 0, chatRequest.max_completion_tokens ?? chatRequest.max_tokens ?? undefined);
    const span = new RequestSpan(this.tracing, request.headers, 'chat', chatRequest, caller, request.id);
    let errorCode: string | undefined;
    reply.hijack();
    const connection = new ClientConnection(reply.raw);
    let timing: ResponseTiming = {};
    try {
      const started = await this.router.execute(
        route,
        (deployment, currentTrace) =>
          this.attempts.chat({ ...forwarded, model: deployment.modelName }, deployment, currentTrace, {
            requestId: request.id,
            caller,
            connection,
            traceparent: span.traceparent,
            tracestate: span.tracestate,
            ...timeouts,
          }),
        trace,
      );
      if (chatRequest.stream) {
        timing = await this.responses.sendStream(reply.raw, started, {
          ...context,
          requestModel: chatRequest.model,
          includeUsage: chatRequest.stream_options?.include_usage === true,
        });
      } else {
        timing = this.responses.sendCompletion(reply.raw, started, context);
      }
    } catch (error) {
      const failure = toSwitchboardError(error);
      errorCode = failure.code;
      if (!reply.raw.headersSent) {
        this.failedUsage.record({ requestId: request.id, callType: 'chat', stream: chatRequest.stream === true, receivedAt: startedAt, caller, trace, error: failure });
        writeErrorResponse(reply.raw, request.id, failure, routingHeaders(context));
      }
    } finally {
      connection.release();
      this.metrics.record({
        route: 'chat',
        requestId: request.id,
        keyAlias: caller.keyAlias,
        teamId: caller.teamId,
        traceparent: span.traceparent,
        errorCode,
        trace,
        status: reply.raw.statusCode,
        startedAt,
        ...timing,
      });
      span.end(reply.raw.statusCode, trace, errorCode);
      void this.admission.settle(reservation, trace.modelGroup, trace.deployment?.id, timing.usage);
    }
  }
}
