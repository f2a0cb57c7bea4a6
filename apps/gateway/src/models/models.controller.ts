import { Controller, Get, Inject, Param, Query, Req, UseGuards } from '@nestjs/common';
import { isSecretParam } from '@switchboard/identity';
import { PricingService, usdToNumber } from '@switchboard/pricing';
import { SwitchboardError, quoteInput } from '@switchboard/spec';
import { AuthGuard } from '../auth/auth.guard';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { ModelRouter } from '../routing/model-router.service';

interface ModelObject {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

/**
 * `GET /v1/models` in OpenAI's list shape, and LiteLLM's `/model/info` (secrets redacted), from the
 * routable deployments (config and database) the key may use.
 */
@Controller()
@UseGuards(AuthGuard)
export class ModelsController {
  private readonly created = Math.floor(Date.now() / 1000);
  constructor(
    @Inject(ModelRouter) private readonly router: ModelRouter,
    @Inject(PricingService) private readonly pricing: PricingService,
  ) {}

  @Get(['v1/models', 'models'])
  list(@Req() request: AuthenticatedRequest) {
    return { object: 'list', data: this.visible(request) };
  }

  @Get(['v1/models/:model', 'models/:model'])
  retrieve(@Req() request: AuthenticatedRequest, @Param('model') model: string) {
    const found = this.visible(request).find((candidate) => candidate.id === model);
    if (!found) throw new SwitchboardError('model_not_found', `The model '${quoteInput(model)}' does not exist`, { param: 'model' });
    return found;
  }

  @Get(['model/info', 'v1/model/info'])
  info(@Req() request: AuthenticatedRequest, @Query('litellm_model_id') modelId: string | undefined) {
    const allowed = request.verifiedKey?.allowedModels;
    const data = this.router
      .allDeployments()
      .filter((deployment) => (!allowed || allowed.has(deployment.modelName)) && (!modelId || deployment.id === modelId))
      .map((deployment) => ({
        model_name: deployment.modelName,
        litellm_params: Object.fromEntries(Object.entries(deployment.params).map(([name, value]) => [name, isSecretParam(name) ? '*****' : value])),
        model_info: { ...this.priceInfo(deployment), ...deployment.info, id: deployment.id, db_model: deployment.info.db_model === true },
      }));
    return { data };
  }

  /** LiteLLM fills `model_info` with the price it bills by; so does this (deployment, override or catalogue). */
  private priceInfo(deployment: ReturnType<ModelRouter['allDeployments']>[number]): Record<string, unknown> {
    const price = this.pricing.priceOf(deployment);
    if (!price) return {};
    return {
      input_cost_per_token: usdToNumber(price.inputPerToken),
      output_cost_per_token: usdToNumber(price.outputPerToken),
      ...(price.cacheReadPerToken !== undefined ? { cache_read_input_token_cost: usdToNumber(price.cacheReadPerToken) } : {}),
      price_source: price.source,
    };
  }

  private visible(request: AuthenticatedRequest): ModelObject[] {
    const allowed = request.verifiedKey?.allowedModels;
    const seen = new Map<string, ModelObject>();
    for (const deployment of this.router.allDeployments()) {
      if (seen.has(deployment.modelName) || (allowed && !allowed.has(deployment.modelName))) continue;
      seen.set(deployment.modelName, { id: deployment.modelName, object: 'model', created: this.created, owned_by: deployment.provider });
    }
    return [...seen.values()];
  }
}
