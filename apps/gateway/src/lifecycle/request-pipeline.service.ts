import { Inject, Injectable } from '@nestjs/common';
import type { ModelDeployment } from '@switchboard/config';
import type { Tracing } from '@switchboard/observability';
import { requestDefaultsFor } from '@switchboard/router';
import type { RouteTrace } from '@switchboard/router';
import type { SwitchboardError, Usage } from '@switchboard/spec';
import { AdmissionService } from '../admission/admission.service';
import type { Admission } from '../admission/admission.service';
import { GATEWAY_SETTINGS, TRACING } from '../bootstrap/tokens';
import { ChatAttemptService } from '../chat/chat-attempt.service';
import type { CacheHit, StartedReply } from '../chat/chat-attempt.service';
import { routingHeaders } from '../chat/routing-headers';
import type { TimingContext } from '../chat/routing-headers';
import type { GatewaySettings } from '../gateway-settings.schema';
import { toSwitchboardError } from '../http/error-response';
import { GatewayMetricsService } from '../metrics/gateway-metrics.service';
import { ModelRouter } from '../routing/model-router.service';
import { RequestSpan } from '../tracing/request-span';
import { FailedRequestUsageService } from '../usage/failed-request-usage.service';
import { deliverAnswer } from './answer-pump';
import type { DeliveryOutcome } from './answer-pump';
import type { AnswerSink } from './answer-sink';
import type { CallPlan } from './call-plan';
import { LIFECYCLE_HOOKS } from './lifecycle-hooks';
import type { LifecycleHook } from './lifecycle-hooks';
import { metricsRouteOf } from './metrics-route';
import { RequestEntry } from './request-entry.service';
import type { Entry } from './request-entry.service';
import { SinkCancellation } from './sink-cancellation';

/**
 * The one request lifecycle (docs/ARCHITECTURE.md D21), the same for every edge and client API:
 * admission (limits, budget reservation) -> hooks before routing -> routing (retries, fallbacks)
 * -> dispatch to a worker -> the first-output boundary (hooks) -> the pump (encoder to sink, with
 * backpressure) -> settlement, and whatever the outcome one usage event, one log line, one span
 * and the metrics. Edges only parse their request into a CallPlan and give a sink.
 */
@Injectable()
export class RequestPipeline {
  private readonly recordsFrames: boolean;

  constructor(
    @Inject(ModelRouter) private readonly router: ModelRouter,
    @Inject(AdmissionService) private readonly admission: AdmissionService,
    @Inject(ChatAttemptService) private readonly attempts: ChatAttemptService,
    @Inject(FailedRequestUsageService) private readonly failedUsage: FailedRequestUsageService,
    @Inject(GatewayMetricsService) private readonly metrics: GatewayMetricsService,
    @Inject(TRACING) private readonly tracing: Tracing,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
    @Inject(LIFECYCLE_HOOKS) private readonly hooks: readonly LifecycleHook[],
    @Inject(RequestEntry) private readonly entry: RequestEntry,
  ) {
    this.recordsFrames = hooks.some((hook) => hook.recordsFrames);
  }

  async run(planned: CallPlan, sink: AnswerSink): Promise<void> {
    let plan = planned;
    const startedAt = Date.now();
    const metricsRoute = metricsRouteOf(plan);
    const trace: RouteTrace = { attemptedRetries: 0, attemptedFallbacks: 0, modelGroup: plan.route.modelGroup };
    const context: TimingContext = { requestId: plan.requestId, startedAt, trace };
    let entry: Entry;
    try {
      // Every model the request can reach, resolved and checked before anything is admitted or routed.
      entry = this.entry.enter(plan);
    } catch (error) {
      sink.error(toSwitchboardError(error), {});
      return;
    }
    const route = entry.route;
    plan = { ...plan, caller: entry.caller };
    trace.modelGroup = route.modelGroup;
    let admission: Admission;
    try {
      admission = await this.admission.admit(plan.requestId, route.modelGroup, route.promptTokens ?? 0, plan.maxTokens, { verified: plan.verified, customerId: plan.caller.customerId });
    } catch (error) {
      // A refused request (budget, rate limit, blocked customer) is still a request: one usage event, zero tokens.
      const refusal = toSwitchboardError(error);
      entry.release();
      this.metrics.rejected(metricsRoute, route.modelGroup, refusal.code);
      this.recordFailure(plan, startedAt, trace, refusal);
      sink.error(refusal, {});
      return;
    }
    const keySpend = plan.verified?.identity?.spend;
    context.rateLimitHeaders = keySpend === undefined ? admission.headers : { ...admission.headers, 'x-litellm-key-spend': String(keySpend) };
    context.responseCost = (usage) => this.admission.responseCostUsd(trace.modelGroup, trace.deployment?.id, usage);
    const span = new RequestSpan(this.tracing, plan.traceCarrier, plan.api === 'embeddings' ? 'embeddings' : 'chat', plan.spanRequest, plan.caller, plan.requestId, plan.spanAttributes);
    const cancellation = new SinkCancellation(sink);
    let outcome: DeliveryOutcome = {};
    let failure: SwitchboardError | undefined;
    let cacheHit: CacheHit | undefined;
    if (this.hooks.length) context.hookHeaders = plan.responseHeaders ??= {};
    try {
      const fromHook = await this.answerFromHooks(plan);
      if (fromHook?.cacheHit) {
        // Answered from the cache: no deployment was called; the hit is billed at 0.
        cacheHit = fromHook.cacheHit;
        trace.deployment = fromHook.deployment;
        context.responseCost = () => 0;
        span.annotate({ 'switchboard.cache_hit': true, 'switchboard.cache_key': cacheHit.key });
      }
      const started = fromHook ?? (await this.route(plan, entry, trace, cancellation, span));
      for (const hook of this.hooks) await hook.afterFirstOutput?.(plan, started);
      outcome = await deliverAnswer(started, plan.encoder(started), sink, context, plan.stream, {
        bufferLimitBytes: this.settings.STREAM_BUFFER_LIMIT_BYTES,
        recordFrames: this.recordsFrames,
      });
      if (!outcome.error) for (const hook of this.hooks) hook.afterAnswer?.(plan, { started, frames: outcome.frames, usage: outcome.usage });
      else if (outcome.error.code === 'no_worker') this.recordLostWorker(plan, startedAt, trace, outcome);
    } catch (error) {
      failure = toSwitchboardError(error);
      if (sink.status === undefined) {
        // Nothing reached the client: no worker completed this request, so the gateway records it.
        this.recordFailure(plan, startedAt, trace, failure);
        cacheHit = undefined;
        sink.error(failure, routingHeaders(context));
      }
      for (const hook of this.hooks) hook.onFailure?.(plan, failure);
    } finally {
      cancellation.release();
      entry.release();
      // A client that left before the answer was complete is recorded as such (499), not as a success.
      const clientClosed = sink.closed;
      const status = clientClosed ? 499 : (sink.status ?? failure?.status ?? 200);
      const errorCode = clientClosed ? 'client_closed' : (failure ?? outcome.error)?.code;
      this.metrics.record({
        route: metricsRoute,
        requestId: plan.requestId,
        keyAlias: plan.caller.keyAlias,
        teamId: plan.caller.teamId,
        traceparent: span.traceparent,
        errorCode,
        trace,
        status,
        startedAt,
        firstByteAt: outcome.firstByteAt,
        upstreamLatencyMs: outcome.upstreamLatencyMs,
      });
      span.end(status, trace, errorCode);
      if (cacheHit) this.failedUsage.recordCacheHit({ requestId: plan.requestId, callType: plan.api === 'embeddings' ? 'embedding' : 'chat', stream: plan.stream, receivedAt: startedAt, caller: plan.caller, trace, clientClosed, cacheHit });
      // A hit used no upstream tokens and costs nothing; a hook's own calls (the semantic cache's embedding) are paid for.
      void this.admission.settle(admission, trace.modelGroup, trace.deployment?.id, cacheHit ? undefined : outcome.usage, plan.caller.keyAlias, plan.sideUsage);
    }
  }

  /** A hook before routing may answer (a cache hit) or refuse (a guardrail throws). */
  private async answerFromHooks(plan: CallPlan): Promise<StartedReply | undefined> {
    for (const hook of this.hooks) {
      const answer = await hook.beforeRouting?.(plan);
      if (answer) return answer;
    }
    return undefined;
  }

  /** Routing with retries and fallbacks; each attempt dispatches to a worker and reads to the first output. */
  private route(plan: CallPlan, entry: Entry, trace: RouteTrace, cancellation: SinkCancellation, span: RequestSpan): Promise<StartedReply> {
    return this.router.execute(
      entry.route,
      (routed, currentTrace) => {
        const deployment = withForwardedHeaders(routed, entry.forwardedHeaders);
        // The request of the group as the client named it (a fallback entry's own fields), with the deployment's defaults.
        const command = plan.command(entry.requestedAs(deployment.modelName));
        const defaults = this.router.settings.defaultRequestParams;
        const context = { requestId: plan.requestId, caller: plan.caller, connection: cancellation, traceparent: span.traceparent, tracestate: span.tracestate, ...plan.timeouts };
        return command.kind === 'chat'
          ? this.attempts.chat(requestDefaultsFor({ ...command.request, model: deployment.modelName }, deployment, defaults), deployment, currentTrace, context)
          : this.attempts.embed(requestDefaultsFor({ ...command.request, model: deployment.modelName }, deployment, defaults), deployment, currentTrace, context);
      },
      trace,
    );
  }

  /** The worker went silent after output reached the client: nobody else can record what it used. */
  private recordLostWorker(plan: CallPlan, receivedAt: number, trace: RouteTrace, outcome: DeliveryOutcome): void {
    const usage = outcome.usage ?? estimatedUsageOf(plan.route.promptTokens ?? 0, Math.ceil((outcome.deliveredCharacters ?? 0) / 4));
    this.failedUsage.recordLostWorker({ requestId: plan.requestId, callType: plan.api === 'embeddings' ? 'embedding' : 'chat', stream: plan.stream, receivedAt, caller: plan.caller, trace, error: outcome.error as SwitchboardError, usage });
  }

  private recordFailure(plan: CallPlan, receivedAt: number, trace: RouteTrace, error: SwitchboardError): void {
    this.failedUsage.record({ requestId: plan.requestId, callType: plan.api === 'embeddings' ? 'embedding' : 'chat', stream: plan.stream, receivedAt, caller: plan.caller, trace, error });
  }
}

/** The client's forwarded headers ride with the deployment's own `extra_headers` (which win); `anthropic-beta` with the request. */
function withForwardedHeaders(deployment: ModelDeployment, forwarded: Record<string, string> | undefined): ModelDeployment {
  if (!forwarded) return deployment;
  const own = deployment.params.extra_headers && typeof deployment.params.extra_headers === 'object' ? (deployment.params.extra_headers as Record<string, string>) : {};
  const { 'anthropic-beta': beta, ...rest } = forwarded;
  const params: ModelDeployment['params'] = { ...deployment.params, extra_headers: { ...rest, ...own } };
  if (beta) params.anthropic_beta = [deployment.params.anthropic_beta, beta].filter(Boolean).join(',');
  return { ...deployment, params };
}

/** Usage the gateway estimates (four characters a token), flagged as such like the providers' estimates. */
function estimatedUsageOf(inputTokens: number, outputTokens: number): Usage {
  return {
    inputTokens: { total: inputTokens, noCache: inputTokens, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: outputTokens, text: outputTokens, reasoning: 0 },
    raw: { estimated: true },
  };
}
