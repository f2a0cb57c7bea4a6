import { Controller, Get, Inject, Param, Query, Req, UseGuards } from '@nestjs/common';
import { accessGroupsOf, isSecretParam } from '@switchboard/identity';
import type { ModelDeployment } from '@switchboard/config';
import { PricingService, usdToNumber } from '@switchboard/pricing';
import { isPattern } from '@switchboard/router';
import { SwitchboardError, quoteInput } from '@switchboard/spec';
import { AuthGuard } from '../auth/auth.guard';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { ModelRouter } from '../routing/model-router.service';
import { listModels, wildcardNames } from './model-listing';
import { modelGroupInfo } from './model-group-info';

interface ModelObject {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
  metadata?: { fallbacks: string[] };
}

type Query = Record<string, string | undefined>;

/** A LiteLLM boolean query flag (`True`, `true`, `1`). */
function flag(query: Query, name: string): boolean {
  const value = query[name];
  return value !== undefined && /^(true|1|yes)$/i.test(value);
}

/** Query parameters LiteLLM's route takes that Switchboard does not: refused by name, never ignored. */
function refuseUnsupported(query: Query, names: readonly string[]): void {
  for (const name of names) {
    if (query[name] !== undefined && query[name] !== '') {
      throw new SwitchboardError('invalid_request', `The query parameter '${name}' is not supported here`, { param: name });
    }
  }
}

/**
 * `GET /v1/models` in OpenAI's list shape (LiteLLM's query flags), LiteLLM's `/model/info`,
 * `/v2/model/info` and `/model_group/info` (secrets redacted), from the routable deployments
 * (config and database) the key may use.
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
  list(@Req() request: AuthenticatedRequest, @Query() query: Query) {
    refuseUnsupported(query, ['team_id', 'scope', 'healthy_only']);
    const allowed = request.verifiedKey?.allowedModels;
    const groups = this.visibleAccessGroups(request);
    if (flag(query, 'only_model_access_groups')) return { object: 'list', data: groups.map((id) => this.model(id, 'openai')) };
    const models = listModels(this.router, this.pricing, { allowed, wildcardRoutes: flag(query, 'return_wildcard_routes') }).map((listed) => this.model(listed.id, listed.ownedBy));
    if (flag(query, 'include_model_access_groups')) models.push(...groups.map((id) => this.model(id, 'openai')));
    if (flag(query, 'include_metadata')) for (const model of models) model.metadata = { fallbacks: this.fallbacksOf(model.id, query.fallback_type) };
    else refuseUnsupported(query, ['fallback_type']);
    return { object: 'list', data: models };
  }

  @Get(['v1/models/:model', 'models/:model'])
  retrieve(@Req() request: AuthenticatedRequest, @Param('model') model: string) {
    const allowed = request.verifiedKey?.allowedModels;
    const deployments = this.router.deploymentsFor(model);
    if (deployments.length === 0 || (allowed && !allowed.has(this.router.resolveAlias(model)) && !allowed.has(model))) {
      throw new SwitchboardError('model_not_found', `The model '${quoteInput(model)}' does not exist`, { param: 'model' });
    }
    return this.model(model, deployments[0].provider);
  }

  @Get(['model/info', 'v1/model/info'])
  info(@Req() request: AuthenticatedRequest, @Query('litellm_model_id') modelId: string | undefined) {
    return { data: this.deploymentInfo(request).filter((entry) => !modelId || entry.model_info.id === modelId) };
  }

  /** LiteLLM's paginated `/v2/model/info`: `model`, `modelId`, `search`, `sortBy`, `sortOrder`, `page`, `size`. */
  @Get('v2/model/info')
  infoV2(@Req() request: AuthenticatedRequest, @Query() query: Query) {
    refuseUnsupported(query, ['user_models_only', 'include_team_models', 'teamId', 'debug', 'exclude_auto_routers']);
    const page = positive(query.page, 'page', 1);
    const size = Math.min(positive(query.size, 'size', 50), 100);
    const search = query.search?.toLowerCase();
    let data = this.deploymentInfo(request).filter(
      (entry) =>
        (!query.model || entry.model_name === query.model) &&
        (!query.modelId || entry.model_info.id === query.modelId) &&
        (!search || entry.model_name.toLowerCase().includes(search)),
    );
    if (query.sortBy) {
      if (query.sortBy !== 'model_name' && query.sortBy !== 'created_at') throw new SwitchboardError('invalid_request', "'sortBy' must be model_name", { param: 'sortBy' });
      const direction = query.sortOrder === 'desc' ? -1 : 1;
      data = [...data].sort((a, b) => a.model_name.localeCompare(b.model_name) * direction);
    }
    const total = data.length;
    return { data: data.slice((page - 1) * size, page * size), total_count: total, current_page: page, size, total_pages: Math.max(1, Math.ceil(total / size)) };
  }

  @Get('model_group/info')
  groupInfo(@Req() request: AuthenticatedRequest, @Query('model_group') modelGroup: string | undefined) {
    const allowed = request.verifiedKey?.allowedModels;
    const groups = new Map<string, ModelDeployment[]>();
    for (const deployment of this.router.allDeployments()) {
      if (modelGroup !== undefined && deployment.modelName !== modelGroup) continue;
      if (allowed && !isPattern(deployment.modelName) && !allowed.has(deployment.modelName)) continue;
      groups.set(deployment.modelName, [...(groups.get(deployment.modelName) ?? []), deployment]);
    }
    return { data: [...groups].map(([name, deployments]) => modelGroupInfo(name, deployments, (deployment) => this.pricing.priceOf(deployment))) };
  }

  private deploymentInfo(request: AuthenticatedRequest) {
    const allowed = request.verifiedKey?.allowedModels;
    return this.router
      .allDeployments()
      .filter((deployment) => !allowed || allowed.has(deployment.modelName) || (isPattern(deployment.modelName) && wildcardNames(deployment, this.pricing).some((name) => allowed.has(name))))
      .map((deployment) => ({
        model_name: deployment.modelName,
        litellm_params: Object.fromEntries(Object.entries(deployment.params).map(([name, value]) => [name, isSecretParam(name) ? '*****' : value])),
        model_info: { ...this.priceInfo(deployment), ...deployment.info, id: deployment.id, db_model: deployment.info.db_model === true },
      }));
  }

  /** LiteLLM fills `model_info` with the price it bills by; so does this (deployment, override or catalogue). */
  private priceInfo(deployment: ModelDeployment): Record<string, unknown> {
    const price = this.pricing.priceOf(deployment);
    if (!price) return {};
    return {
      input_cost_per_token: usdToNumber(price.inputPerToken),
      output_cost_per_token: usdToNumber(price.outputPerToken),
      ...(price.cacheReadPerToken !== undefined ? { cache_read_input_token_cost: usdToNumber(price.cacheReadPerToken) } : {}),
      price_source: price.source,
    };
  }

  /** Access groups (`model_info.access_groups`) the key may name: all for unrestricted keys, else those its models list. */
  private visibleAccessGroups(request: AuthenticatedRequest): string[] {
    const groups = [...accessGroupsOf(this.router.allDeployments()).keys()];
    const identity = request.verifiedKey?.identity;
    if (!request.verifiedKey?.allowedModels || !identity) return groups;
    const named = new Set([...identity.keyModels, ...identity.teamModels, ...identity.userModels]);
    return groups.filter((group) => named.has(group));
  }

  private fallbacksOf(model: string, type: string | undefined): string[] {
    const settings = this.router.settings;
    const map = type === 'context_window' ? settings.contextWindowFallbacks : type === 'content_policy' ? settings.contentPolicyFallbacks : settings.fallbacks;
    if (type !== undefined && !['general', 'context_window', 'content_policy'].includes(type)) {
      throw new SwitchboardError('invalid_request', "'fallback_type' must be general, context_window or content_policy", { param: 'fallback_type' });
    }
    return [...(map.get(model) ?? [])];
  }

  private model(id: string, ownedBy: string): ModelObject {
    return { id, object: 'model', created: this.created, owned_by: ownedBy };
  }
}

function positive(value: string | undefined, param: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new SwitchboardError('invalid_request', `'${param}' must be a positive integer`, { param });
  return number;
}
