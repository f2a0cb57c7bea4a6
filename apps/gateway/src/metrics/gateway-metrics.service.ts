import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationShutdown } from '@nestjs/common';
import type { Server } from 'node:http';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import type { NatsBusClient } from '@switchboard/messaging';
import { createMetricsRegistry, startMetricsServer } from '@switchboard/observability';
import type { RouteTrace } from '@switchboard/router';
import { BUS_CLIENT, GATEWAY_SETTINGS, LOGGER } from '../bootstrap/tokens';
import type { Logger } from '@switchboard/observability';
import type { GatewaySettings } from '../gateway-settings.schema';
import { ModelRouter } from '../routing/model-router.service';
import type { CallPlan } from '../lifecycle/call-plan';
import { metricsRouteOf } from '../lifecycle/metrics-route';

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const overheadBuckets = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25];

/** The API and its edge: HTTP routes by name, the public NATS API's subjects with `nats_` (docs/metrics.md). */
export type MetricsRoute = 'chat' | 'embeddings' | 'messages' | 'responses' | 'nats_chat' | 'nats_embeddings' | 'nats_responses';

/** Why admission refused a request: the error codes AdmissionService throws; anything else counts as `other`. */
const rejectionReasons = new Set(['budget_exceeded', 'rate_limited', 'permission_denied', 'upstream_unavailable', 'invalid_request']);

export interface CompletedCall {
  route: MetricsRoute;
  requestId?: string;
  keyAlias?: string;
  teamId?: string;
  traceparent?: string;
  errorCode?: string;
  trace: RouteTrace;
  status: number;
  startedAt: number;
  firstByteAt?: number;
  /** Time the upstream call took, from the worker: the rest is Switchboard's own overhead. */
  upstreamLatencyMs?: number;
}

/** The gateway's Prometheus series (names in docs/metrics.md), served on METRICS_PORT. */
@Injectable()
export class GatewayMetricsService implements OnApplicationShutdown {
  readonly registry: Registry;
  private server: Server | undefined;
  private readonly requests: Counter<'route' | 'model_group' | 'deployment' | 'provider' | 'status'>;
  private readonly duration: Histogram<'route' | 'model_group'>;
  private readonly firstToken: Histogram<'route' | 'model_group'>;
  private readonly overhead: Histogram;
  private readonly retries: Counter<'model_group'>;
  private readonly fallbacks: Counter<'model_group'>;
  private readonly rejections: Counter<'route' | 'model_group' | 'reason'>;
  private readonly cacheHits: Counter<'route' | 'model_group' | 'cache_type'>;
  private readonly cacheMisses: Counter<'route' | 'model_group' | 'cache_type'>;

  constructor(
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
    @Inject(BUS_CLIENT) bus: NatsBusClient,
    @Inject(ModelRouter) private readonly router: ModelRouter,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.registry = createMetricsRegistry('gateway');
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'switchboard_requests_total',
      help: 'LLM requests answered, by route, model group, deployment, provider and HTTP status',
      labelNames: ['route', 'model_group', 'deployment', 'provider', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: 'switchboard_request_duration_seconds',
      help: 'Time from receiving an LLM request to its last byte',
      labelNames: ['route', 'model_group'],
      buckets: latencyBuckets,
      registers,
    });
    this.firstToken = new Histogram({
      name: 'switchboard_time_to_first_token_seconds',
      help: 'Time from receiving a streamed request to its first output byte',
      labelNames: ['route', 'model_group'],
      buckets: latencyBuckets,
      registers,
    });
    this.overhead = new Histogram({
      name: 'switchboard_overhead_duration_seconds',
      help: "Switchboard's own share of a request's time (total, or time to first byte for streams, less the upstream's)",
      buckets: overheadBuckets,
      registers,
    });
    this.retries = new Counter({ name: 'switchboard_retries_total', help: 'Retries made before the first byte', labelNames: ['model_group'], registers });
    this.fallbacks = new Counter({ name: 'switchboard_fallbacks_total', help: 'Fallbacks to another model group', labelNames: ['model_group'], registers });
    this.rejections = new Counter({
      name: 'switchboard_admission_rejections_total',
      help: 'Requests refused at admission (budget, rate limit, blocked customer, budget checks down, unpriced model), by reason',
      labelNames: ['route', 'model_group', 'reason'],
      registers,
    });
    this.cacheHits = new Counter({
      name: 'switchboard_cache_hits_total',
      help: 'Requests answered from the response cache (LiteLLM: litellm_cache_hits_metric)',
      labelNames: ['route', 'model_group', 'cache_type'],
      registers,
    });
    this.cacheMisses = new Counter({
      name: 'switchboard_cache_misses_total',
      help: 'Response-cache lookups that found nothing usable (a miss, a timeout or the backend down): the request went upstream',
      labelNames: ['route', 'model_group', 'cache_type'],
      registers,
    });
    new Gauge({
      name: 'switchboard_requests_in_flight',
      help: 'Requests waiting on a worker right now',
      registers,
      collect() {
        this.set(bus.inFlight);
      },
    });
    new Gauge({
      name: 'switchboard_deployment_cooldown',
      help: 'Deployments resting after failures (1 while cooling down)',
      labelNames: ['deployment', 'model_group'],
      registers,
      collect() {
        this.reset();
        const cooling = new Set(router.router.cooldowns.snapshot().map((entry) => entry.deploymentId));
        for (const deployment of router.allDeployments()) {
          this.set({ deployment: deployment.id, model_group: deployment.modelName }, cooling.has(deployment.id) ? 1 : 0);
        }
      },
    });
  }

  async start(): Promise<void> {
    if (this.settings.METRICS_PORT === 0) return;
    this.server = await startMetricsServer(this.registry, {
      port: this.settings.METRICS_PORT,
      host: this.settings.METRICS_HOST,
      token: this.settings.METRICS_AUTH_TOKEN,
    });
  }

  record(call: CompletedCall): void {
    const deployment = call.trace.deployment;
    // One structured line per request: what an operator needs to follow it (never the key itself).
    this.logger.info(
      {
        requestId: call.requestId,
        traceId: call.traceparent?.split('-')[1],
        route: call.route,
        status: call.status,
        errorCode: call.errorCode,
        keyAlias: call.keyAlias,
        team: call.teamId,
        model: call.trace.modelGroup,
        deployment: deployment?.id,
        provider: deployment?.provider,
        retries: call.trace.attemptedRetries,
        fallbacks: call.trace.attemptedFallbacks,
        durationMs: Date.now() - call.startedAt,
      },
      'request completed',
    );
    // The configured group (a wildcard group's own name), never a name a client made up.
    const modelGroup = this.router.labelOf(call.trace.modelGroup);
    const labels = { route: call.route, model_group: modelGroup };
    this.requests.inc({ ...labels, deployment: deployment?.id ?? 'none', provider: deployment?.provider ?? 'none', status: String(call.status) });
    this.duration.observe(labels, (Date.now() - call.startedAt) / 1000);
    if (call.firstByteAt !== undefined) this.firstToken.observe(labels, (call.firstByteAt - call.startedAt) / 1000);
    if (call.upstreamLatencyMs !== undefined) {
      const measured = (call.firstByteAt ?? Date.now()) - call.startedAt;
      this.overhead.observe(Math.max(0, measured - call.upstreamLatencyMs) / 1000);
    }
    if (call.trace.attemptedRetries > 0) this.retries.inc({ model_group: modelGroup }, call.trace.attemptedRetries);
    if (call.trace.attemptedFallbacks > 0) this.fallbacks.inc({ model_group: modelGroup }, call.trace.attemptedFallbacks);
  }

  /** A request admission refused (it is not counted in switchboard_requests_total); `code` is the error's code. */
  rejected(route: MetricsRoute, modelGroup: string, code: string): void {
    this.rejections.inc({ route, model_group: this.router.labelOf(modelGroup), reason: rejectionReasons.has(code) ? code : 'other' });
  }

  /** A response-cache lookup's outcome. */
  cacheLookup(plan: Pick<CallPlan, 'edge' | 'api' | 'route'>, cacheType: string, hit: boolean): void {
    const labels = { route: metricsRouteOf(plan), model_group: plan.route.modelGroup, cache_type: cacheType };
    if (hit) this.cacheHits.inc(labels);
    else this.cacheMisses.inc(labels);
  }

  onApplicationShutdown(): void {
    this.server?.close();
  }
}
