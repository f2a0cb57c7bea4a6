import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { ModelDeployment } from '@switchboard/config';
import type { Caller } from '@switchboard/contracts';
import type { Tracing } from '@switchboard/observability';
import type { AttemptOutcome, RouteRequest, RouteTrace } from '@switchboard/router';
import type { ChatRequest, SwitchboardError } from '@switchboard/spec';
import { AdmissionService } from '../admission/admission.service';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { authorizeRouteModels } from '../auth/model-access';
import { TRACING } from '../bootstrap/tokens';
import { toSwitchboardError, writeErrorResponse } from '../http/error-response';
import { GatewayMetricsService } from '../metrics/gateway-metrics.service';
import type { CompletedCall } from '../metrics/gateway-metrics.service';
import { ModelRouter } from '../routing/model-router.service';
import { RequestSpan } from '../tracing/request-span';
import { FailedRequestUsageService } from '../usage/failed-request-usage.service';
import type { StartedReply } from './chat-attempt.service';
import type { ResponseTiming } from './chat-response.service';
import { ClientConnection } from './client-connection';
import { routingHeaders } from './routing-headers';
import type { TimingContext } from './routing-headers';

export interface AttemptScope {
  connection: ClientConnection;
  traceparent?: string;
  tracestate?: string;
}

export interface RoutedCall {
  request: AuthenticatedRequest;
  reply: FastifyReply;
  route: RouteRequest;
  /** What the span records about the request (model and sampling parameters; never the prompt). */
  spanRequest: Pick<ChatRequest, 'model'> & Partial<ChatRequest>;
  caller: Caller;
  kind: CompletedCall['route'];
  stream: boolean;
  /** The request's maximum output, for the budget reservation (undefined: the default estimate). */
  maxTokens?: number;
  attempt: (deployment: ModelDeployment, trace: RouteTrace, scope: AttemptScope) => Promise<AttemptOutcome<StartedReply>>;
  respond: (started: StartedReply, context: TimingContext) => Promise<ResponseTiming | void> | ResponseTiming | void;
  /** Writes an error before any byte went out (OpenAI JSON by default; Anthropic routes bring theirs). */
  writeError?: (failure: SwitchboardError, context: TimingContext) => void;
}

/**
 * The life of one routed LLM request on an HTTP edge, the same for chat, embeddings, Messages and
 * Responses: budget admission, the server span, routing with retries and fallbacks, the answer,
 * the usage event when every attempt failed, metrics, the request log line and settlement.
 */
@Injectable()
export class RoutedCallService {
  constructor(
    @Inject(ModelRouter) private readonly router: ModelRouter,
    @Inject(FailedRequestUsageService) private readonly failedUsage: FailedRequestUsageService,
    @Inject(GatewayMetricsService) private readonly metrics: GatewayMetricsService,
    @Inject(TRACING) private readonly tracing: Tracing,
    @Inject(AdmissionService) private readonly admission: AdmissionService,
  ) {}

  async run(call: RoutedCall): Promise<void> {
    const { request, reply } = call;
    // Every model the request can reach, checked before anything is admitted or routed.
    const route = authorizeRouteModels(request.verifiedKey, call.route, this.router.enforceFallbackModelAccess);
    this.router.assertModelExists(route.modelGroup);
    const startedAt = Date.now();
    const trace: RouteTrace = { attemptedRetries: 0, attemptedFallbacks: 0, modelGroup: call.route.modelGroup };
    const context: TimingContext = { requestId: request.id, startedAt, trace };
    let admission;
    try {
      admission = await this.admission.admit(request.id, call.route.modelGroup, call.route.promptTokens ?? 0, call.maxTokens, { verified: request.verifiedKey, customerId: call.caller.customerId });
    } catch (error) {
      // A refused request (budget, rate limit, blocked customer) is still a request: one usage event, zero tokens.
      const failure = toSwitchboardError(error);
      this.metrics.rejected(call.kind, call.route.modelGroup, failure.code);
      this.failedUsage.record({ requestId: request.id, callType: call.kind === 'embeddings' ? 'embedding' : 'chat', stream: call.stream, receivedAt: startedAt, caller: call.caller, trace, error: failure });
      throw failure;
    }
    const keySpend = request.verifiedKey?.identity?.spend;
    context.rateLimitHeaders = keySpend === undefined ? admission.headers : { ...admission.headers, 'x-litellm-key-spend': String(keySpend) };
    context.responseCost = (usage) => this.admission.responseCostUsd(trace.modelGroup, trace.deployment?.id, usage);
    const span = new RequestSpan(this.tracing, request.headers, call.kind === 'embeddings' ? 'embeddings' : 'chat', call.spanRequest, call.caller, request.id);
    reply.hijack();
    const connection = new ClientConnection(reply.raw);
    let timing: ResponseTiming = {};
    let errorCode: string | undefined;
    try {
      const started = await this.router.execute(
        route,
        (deployment, currentTrace) => call.attempt(deployment, currentTrace, { connection, traceparent: span.traceparent, tracestate: span.tracestate }),
        trace,
      );
      timing = (await call.respond(started, context)) ?? {};
    } catch (error) {
      const failure = toSwitchboardError(error);
      errorCode = failure.code;
      if (!reply.raw.headersSent) {
        this.failedUsage.record({
          requestId: request.id,
          callType: call.kind === 'embeddings' ? 'embedding' : 'chat',
          stream: call.stream,
          receivedAt: startedAt,
          caller: call.caller,
          trace,
          error: failure,
        });
        if (call.writeError) call.writeError(failure, context);
        else writeErrorResponse(reply.raw, request.id, failure, routingHeaders(context));
      }
    } finally {
      connection.release();
      this.metrics.record({
        route: call.kind,
        requestId: request.id,
        keyAlias: call.caller.keyAlias,
        teamId: call.caller.teamId,
        traceparent: span.traceparent,
        errorCode,
        trace,
        status: reply.raw.statusCode,
        startedAt,
        ...timing,
      });
      span.end(reply.raw.statusCode, trace, errorCode);
      void this.admission.settle(admission, request.id, trace.modelGroup, trace.deployment?.id, timing.usage, call.caller.keyAlias);
    }
  }
}
