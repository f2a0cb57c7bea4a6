import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import type { ModelDeployment } from '@switchboard/config';
import type { Caller } from '@switchboard/contracts';
import { SwitchboardError } from '@switchboard/spec';
import { AuthGuard } from '../auth/auth.guard';
import { GATEWAY_SETTINGS } from '../bootstrap/tokens';
import type { GatewaySettings } from '../gateway-settings.schema';
import { WorkerDispatchService } from '../chat/worker-dispatch.service';
import { nextRequestId } from '../http/request-id';
import { ModelRouter } from '../routing/model-router.service';

interface EndpointReport {
  model: string;
  model_id: string;
  provider: string;
  api_base?: string;
  error?: string;
}

const probeCaller: Caller = { keyAlias: 'health_check' };

/**
 * `GET /health` (authenticated), LiteLLM's shape: probes every deployment with a minimal real call
 * (one token; an embedding for embedding models) and reports which answered.
 */
@Controller()
@UseGuards(AuthGuard)
export class DeploymentHealthController {
  constructor(
    @Inject(ModelRouter) private readonly router: ModelRouter,
    @Inject(WorkerDispatchService) private readonly dispatcher: WorkerDispatchService,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
  ) {}

  /** `?model=<model group>` or `?model_id=<deployment id>` probes only those deployments (LiteLLM's `model` filter). */
  @Get('health')
  async health(@Query('model') model: string | undefined, @Query('model_id') modelId: string | undefined) {
    const deployments = this.router.allDeployments().filter((deployment) => (!model || deployment.modelName === model) && (!modelId || deployment.id === modelId));
    if ((model || modelId) && deployments.length === 0) throw new SwitchboardError('model_not_found', `No deployment matches ${model ? `model '${model}'` : `model_id '${modelId}'`}`, { param: model ? 'model' : 'model_id' });
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
