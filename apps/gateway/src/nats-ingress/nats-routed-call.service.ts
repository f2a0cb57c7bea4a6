import { Inject, Injectable } from '@nestjs/common';
import { createInbox } from '@nats-io/transport-node';
import type { ModelDeployment } from '@switchboard/config';
import type { Caller } from '@switchboard/contracts';
import type { Tracing } from '@switchboard/observability';
import type { AttemptOutcome, RouteRequest, RouteTrace } from '@switchboard/router';
import type { ChatRequest, SwitchboardError } from '@switchboard/spec';
import { AdmissionService } from '../admission/admission.service';
import { authorizeRouteModels } from '../auth/model-access';
import { TRACING } from '../bootstrap/tokens';
import type { StartedReply } from '../chat/chat-attempt.service';
import type { ResponseTiming } from '../chat/chat-response.service';
import { toSwitchboardError } from '../http/error-response';
import { GatewayMetricsService } from '../metrics/gateway-metrics.service';
import { ModelRouter } from '../routing/model-router.service';
import { RequestSpan } from '../tracing/request-span';
import { FailedRequestUsageService } from '../usage/failed-request-usage.service';
import { NatsCaller } from './nats-caller';
import type { NatsApiRequest } from './nats-request';

/** What one attempt needs from the call: the caller (to cancel it) and the trace context for the worker. */
export interface NatsAttemptScope {
  connection: NatsCaller;
  traceparent?: string;
  tracestate?: string;
}

export interface NatsRoutedCall {
  request: NatsApiRequest;
  route: RouteRequest;
  /** What the span records about the request (model and sampling parameters; never the prompt). */
  spanRequest: Pick<ChatRequest, 'model'> & Partial<ChatRequest>;
  caller: Caller;
  /** The subject's API: the span's operation, the usage event's call type and the metrics' `nats_<kind>` route. */
  kind: 'chat' | 'embeddings' | 'responses';
  stream: boolean;
  /** The request's maximum output, for the budget reservation (undefined: the default estimate). */
  maxTokens?: number;
  attempt: (deployment: ModelDeployment, trace: RouteTrace, scope: NatsAttemptScope) => Promise<AttemptOutcome<StartedReply>>;
  /** Replies with the answer; resolves with its timing (for the metrics) and the usage it reported (for settlement). */
  respond: (started: StartedReply, connection: NatsCaller) => Promise<ResponseTiming>;
}

/**
 * The life of one routed LLM request on the NATS edge, the same for chat, embeddings and
 * Responses, and the same steps as HTTP's RoutedCallService: budget and rate-limit admission,
 * the server span (child of the caller's `traceparent` header), routing with retries and
 * fallbacks, the answer, the usage event when every attempt failed, metrics (route `nats_<kind>`),
 * the request log line and settlement. It also knows the callers in flight, so a cancel or an
 * unanswered probe stops theirs.
 */
@Injectable()
export class NatsRoutedCallService {
  /** Stream messages carry `<probePrefix>.<token>` as their reply subject. */
  readonly probePrefix = createInbox();
  private readonly callers = new Map<string, NatsCaller>();
  private readonly callersByInbox = new Map<string, NatsCaller>();
  private sequence = 0;

  constructor(
    @Inject(ModelRouter) private readonly router: ModelRouter,
    @Inject(AdmissionService) private readonly admission: AdmissionService,
    @Inject(FailedRequestUsageService) private readonly failedUsage: FailedRequestUsageService,
    @Inject(GatewayMetricsService) private readonly metrics: GatewayMetricsService,
    @Inject(TRACING) private readonly tracing: Tracing,
  ) {}

  async run(call: NatsRoutedCall): Promise<void> {
    const { requestId, inbox, verified, reply } = call.request;
    // Every model the request can reach, checked before anything is admitted or routed.
    const route = authorizeRouteModels(verified, call.route, this.router.enforceFallbackModelAccess);
    this.router.assertModelExists(route.modelGroup);
    const startedAt = Date.now();
    const callType = call.kind === 'embeddings' ? 'embedding' : 'chat';
    let admission;
    try {
      admission = await this.admission.admit(requestId, call.route.modelGroup, call.route.promptTokens ?? 0, call.maxTokens, { verified, customerId: call.caller.customerId });
    } catch (error) {
      // Counted here only: a refused request never reaches switchboard_requests_total. It is still a
      // request: one usage event, zero tokens, as on HTTP.
      const refusal = toSwitchboardError(error);
      this.metrics.rejected(`nats_${call.kind}`, call.route.modelGroup, refusal.code);
      const trace: RouteTrace = { attemptedRetries: 0, attemptedFallbacks: 0, modelGroup: call.route.modelGroup };
      this.failedUsage.record({ requestId, callType, stream: call.stream, receivedAt: startedAt, caller: call.caller, trace, error: refusal });
      throw refusal;
    }
    const trace: RouteTrace = { attemptedRetries: 0, attemptedFallbacks: 0, modelGroup: call.route.modelGroup };
    const span = new RequestSpan(this.tracing, call.request.trace, call.kind === 'embeddings' ? 'embeddings' : 'chat', call.spanRequest, call.caller, requestId, {
      'messaging.system': 'nats',
      'messaging.destination.name': call.request.subject,
    });
    const connection = this.open(inbox);
    let timing: ResponseTiming = {};
    let failure: SwitchboardError | undefined;
    try {
      let started: StartedReply;
      try {
        started = await this.router.execute(
          route,
          (deployment, currentTrace) => call.attempt(deployment, currentTrace, { connection, traceparent: span.traceparent, tracestate: span.tracestate }),
          trace,
        );
      } catch (error) {
        // Every attempt failed before any output: no worker records this request, so the gateway does.
        failure = toSwitchboardError(error);
        this.failedUsage.record({ requestId, callType, stream: call.stream, receivedAt: startedAt, caller: call.caller, trace, error: failure });
        throw failure;
      }
      timing = await call.respond(started, connection);
    } catch (error) {
      failure ??= toSwitchboardError(error);
      throw failure;
    } finally {
      connection.release();
      // What the caller saw first: 200 once output went out (a later failure travels in-band), else the error's status.
      const status = reply.status ?? failure?.status ?? 200;
      this.metrics.record({
        route: `nats_${call.kind}`,
        requestId,
        keyAlias: call.caller.keyAlias,
        teamId: call.caller.teamId,
        traceparent: span.traceparent,
        errorCode: failure?.code,
        trace,
        status,
        startedAt,
        ...timing,
      });
      span.end(status, trace, failure?.code);
      void this.admission.settle(admission, requestId, trace.modelGroup, trace.deployment?.id, timing.usage, call.caller.keyAlias);
    }
  }

  /** "No responders" on a probe: that caller's inbox has no subscriber any more. */
  probeUnanswered(subject: string): void {
    this.callers.get(subject.slice(this.probePrefix.length + 1))?.leave();
  }

  /** The caller asked to stop the stream it reads on `inbox`. */
  cancel(inbox: string): void {
    this.callersByInbox.get(inbox)?.leave();
  }

  private open(inbox: string): NatsCaller {
    const token = String(++this.sequence);
    const caller = new NatsCaller(`${this.probePrefix}.${token}`, () => {
      this.callers.delete(token);
      if (this.callersByInbox.get(inbox) === caller) this.callersByInbox.delete(inbox);
    });
    this.callers.set(token, caller);
    this.callersByInbox.set(inbox, caller);
    return caller;
  }
}
