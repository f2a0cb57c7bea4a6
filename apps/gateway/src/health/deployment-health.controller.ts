import { Controller, Get, Inject, Query, Req, UseGuards } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { ModelDeployment, SwitchboardConfig } from '@switchboard/config';
import type { Caller } from '@switchboard/contracts';
import { SwitchboardError, quoteInput } from '@switchboard/spec';
import { AuthGuard } from '../auth/auth.guard';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { assertProxyAdmin } from '../auth/admin-access';
import { GATEWAY_SETTINGS, SWITCHBOARD_CONFIG } from '../bootstrap/tokens';
import type { GatewaySettings } from '../gateway-settings.schema';
import { WorkerDispatchService } from '../chat/worker-dispatch.service';
import { nextRequestId } from '../http/request-id';
import { ModelRouter } from '../routing/model-router.service';
import { ResponseCacheService } from '../cache/response-cache.service';
import { HealthReportCache } from './health-report-cache';

interface EndpointReport {
  model: string;
  model_id: string;
  provider: string;
  api_base?: string;
  error?: string;
}

interface HealthReport {
  healthy_endpoints: EndpointReport[];
  unhealthy_endpoints: EndpointReport[];
  healthy_count: number;
  unhealthy_count: number;
  /** The response cache's settings (litellm_settings.cache), when it is on; never its password. */
  cache?: Record<string, unknown>;
}

const probeCaller: Caller = { keyAlias: 'health_check' };
/** LiteLLM's default `health_check_interval`. */
const defaultIntervalSeconds = 300;

/**
 * `GET /health` (proxy admins only), LiteLLM's shape: probes every deployment (or only those of
 * `?model=`) with a minimal real call (one token; an embedding for embedding models) and reports
 * which answered. Each probe costs an upstream call, so results are kept for
 * `general_settings.health_check_interval` seconds. Error texts come scrubbed of credentials by
 * the worker.
 */
@Controller()
@UseGuards(AuthGuard)
export class DeploymentHealthController implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly cache: HealthReportCache<HealthReport>;
  private readonly intervalMs: number;
  private readonly background: boolean;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(ModelRouter) private readonly router: ModelRouter,
    @Inject(WorkerDispatchService) private readonly dispatcher: WorkerDispatchService,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
    @Inject(SWITCHBOARD_CONFIG) config: SwitchboardConfig,
    @Inject(ResponseCacheService) private readonly responseCache: ResponseCacheService,
  ) {
    const interval = config.generalSettings.health_check_interval;
    this.intervalMs = (typeof interval === 'number' && interval >= 0 ? interval : defaultIntervalSeconds) * 1000;
    this.cache = new HealthReportCache(this.intervalMs);
    this.background = config.generalSettings.background_health_checks === true;
  }

  /**
   * `background_health_checks`: every deployment is probed at start and every interval, so
   * `GET /health` answers from the last round (LiteLLM's). A round never overlaps the previous one.
   */
  onApplicationBootstrap(): void {
    if (!this.background) return;
    const round = () => {
      const deployments = this.router.allDeployments();
      void this.cache.refresh(this.scopeOf(undefined, undefined, deployments), () => this.probeAll(deployments)).catch(() => undefined);
    };
    round();
    this.timer = setInterval(round, Math.max(1_000, this.intervalMs));
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private scopeOf(model: string | undefined, modelId: string | undefined, deployments: readonly ModelDeployment[]): string {
    return `${model ?? '*'}\u0000${modelId ?? '*'}\u0000${deployments.map((deployment) => deployment.id).join(',')}`;
  }

  /** `?model=<model group>` or `?model_id=<deployment id>` probes only those deployments (LiteLLM's `model` filter). */
  @Get('health')
  async health(@Req() request: AuthenticatedRequest, @Query('model') model: string | undefined, @Query('model_id') modelId: string | undefined): Promise<HealthReport> {
    assertProxyAdmin(request.verifiedKey, '/health');
    const deployments = this.router.allDeployments().filter((deployment) => (model === undefined || deployment.modelName === model) && (modelId === undefined || deployment.id === modelId));
    if ((model !== undefined || modelId !== undefined) && deployments.length === 0) {
      const param = model !== undefined ? 'model' : 'model_id';
      throw new SwitchboardError('model_not_found', `No deployment matches ${param} '${quoteInput(model ?? modelId ?? '')}'`, { param });
    }
    // Stored models change the deployment list: a scope's report is for the deployments it probed.
    const report = await this.cache.get(this.scopeOf(model, modelId, deployments), () => this.probeAll(deployments));
    const cache = this.responseCache.describe();
    return cache ? { ...report, cache } : report;
  }

  private async probeAll(deployments: readonly ModelDeployment[]): Promise<HealthReport> {
    const reports = await Promise.all(deployments.map((deployment) => this.probe(deployment)));
    const healthy = reports.filter((report) => report.error === undefined);
    const unhealthy = reports.filter((report) => report.error !== undefined);
    return {
      healthy_endpoints: healthy,
      unhealthy_endpoints: unhealthy,
      healthy_count: healthy.length,
      unhealthy_count: unhealthy.length,
    };
  }

  private async probe(deployment: ModelDeployment): Promise<EndpointReport> {
    const report: EndpointReport = { model: deployment.modelName, model_id: deployment.id, provider: deployment.provider };
    const apiBase = deployment.params.api_base;
    if (typeof apiBase === 'string' && !apiBase.startsWith('os.environ/')) report.api_base = originOf(apiBase);
    const options = { requestId: nextRequestId(), deployment, caller: probeCaller, timeoutMs: this.settings.HEALTH_CHECK_TIMEOUT_SECONDS * 1000 };
    const dispatch =
      deployment.info.mode === 'embedding'
        ? this.dispatcher.embed({ model: deployment.modelName, input: 'ping' }, options)
        : this.dispatcher.chat({ model: deployment.modelName, messages: [{ role: 'user', content: 'ping' }], max_tokens: 1 }, options);
    try {
      const frame = await dispatch.next();
      if (frame.kind === 'error') report.error = frame.error.message;
      else if (frame.kind !== 'result') report.error = 'unexpected reply';
    } catch (error) {
      report.error = SwitchboardError.from(error).message;
    } finally {
      dispatch.finish();
    }
    return report;
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid url';
  }
}
