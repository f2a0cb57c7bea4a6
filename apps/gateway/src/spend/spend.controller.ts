import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, UseGuards } from '@nestjs/common';
import type pg from 'pg';
import { SpendQueryRepository } from '@switchboard/data-access-spend';
import { PricingService, formatUsd, usdToNumber } from '@switchboard/pricing';
import { SwitchboardError, quoteInput } from '@switchboard/spec';
import { AuthGuard } from '../auth/auth.guard';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { PG_POOL } from '../bootstrap/tokens';
import { ModelRouter } from '../routing/model-router.service';

interface CalculateBody {
  model?: string;
  completion_response?: { usage?: { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number }; completion_tokens_details?: { reasoning_tokens?: number } } };
}

function requireAdmin(request: AuthenticatedRequest): void {
  if (!request.verifiedKey?.isMasterKey) throw new SwitchboardError('permission_denied', 'Spend reports need the master key (or an admin key)');
}

/**
 * Whose spend logs a caller may read: admins and `proxy_admin_viewer` everyone's; any other key
 * only its user's requests (LiteLLM forces `user_id` for internal users), or its own when it has no user.
 */
function logScope(request: AuthenticatedRequest, query: Record<string, string | undefined>): { userId?: string; keyHash?: string } {
  const verified = request.verifiedKey;
  if (verified?.isMasterKey || verified?.identity?.userRole === 'proxy_admin_viewer') return { userId: query.user_id, keyHash: query.api_key };
  const identity = verified?.identity;
  if (!identity) throw new SwitchboardError('permission_denied', 'Spend logs need a key');
  if (identity.userId) {
    if (query.user_id && query.user_id !== identity.userId) throw new SwitchboardError('permission_denied', 'You can only view your own spend logs', { param: 'user_id' });
    return { userId: identity.userId, keyHash: query.api_key };
  }
  if (query.api_key && query.api_key !== identity.keyHash) throw new SwitchboardError('permission_denied', 'You can only view your own spend logs', { param: 'api_key' });
  return { keyHash: identity.keyHash };
}

/** LiteLLM's spend routes over the ledger the budget service writes. */
@Controller()
@UseGuards(AuthGuard)
export class SpendController {
  private readonly queries: SpendQueryRepository;

  constructor(
    @Inject(PG_POOL) pool: pg.Pool,
    @Inject(ModelRouter) private readonly router: ModelRouter,
    @Inject(PricingService) private readonly pricing: PricingService,
  ) {
    this.queries = new SpendQueryRepository(pool);
  }

  @Get('spend/logs')
  async logs(@Req() request: AuthenticatedRequest, @Query() query: Record<string, string | undefined>) {
    const scope = logScope(request, query);
    const rows = await this.queries.logs({
      requestId: query.request_id,
      keyHash: scope.keyHash,
      userId: scope.userId,
      teamId: query.team_id,
      startDate: query.start_date,
      endDate: query.end_date,
      model: query.model,
      status: query.status,
      tag: query.tag,
      limit: Math.min(Number(query.limit ?? 100) || 100, 1_000),
    });
    if (query.summarize === 'true') {
      const total = rows.reduce((sum, row) => sum + Number(row.cost), 0);
      return { total_spend: total, requests: rows.length };
    }
    return rows.map((row) => ({ ...row, spend: Number(row.cost), request_id: row.request_id, model: row.model_group }));
  }

  @Get('global/spend/models')
  async models(@Req() request: AuthenticatedRequest) {
    requireAdmin(request);
    return (await this.queries.byModel()).map((row) => ({ ...row, total_spend: Number(row.total_spend) }));
  }

  @Get('global/spend/keys')
  async keys(@Req() request: AuthenticatedRequest) {
    requireAdmin(request);
    return (await this.queries.byKey()).map((row) => ({ ...row, total_spend: Number(row.total_spend) }));
  }

  /**
   * LiteLLM's `/global/spend/report`: spend per day grouped by team (default), customer or key,
   * each with its per-model breakdown, from the daily aggregates.
   */
  @Get('global/spend/report')
  async report(@Req() request: AuthenticatedRequest, @Query() query: Record<string, string | undefined>) {
    requireAdmin(request);
    const groupBy = query.group_by ?? 'team';
    const entityType = ({ team: 'team', customer: 'customer', api_key: 'key' } as const)[groupBy as 'team' | 'customer' | 'api_key'];
    if (!entityType) throw new SwitchboardError('invalid_request', "'group_by' must be team, customer or api_key", { param: 'group_by' });
    const date = /^\d{4}-\d{2}-\d{2}$/;
    if (!query.start_date || !date.test(query.start_date)) throw new SwitchboardError('invalid_request', "'start_date' (YYYY-MM-DD) is required", { param: 'start_date' });
    if (!query.end_date || !date.test(query.end_date)) throw new SwitchboardError('invalid_request', "'end_date' (YYYY-MM-DD) is required", { param: 'end_date' });
    const rows = await this.queries.dailyReport(entityType, query.start_date, query.end_date);
    const listName = { team: 'teams', customer: 'customers', key: 'api_keys' }[entityType];
    const idName = { team: 'team_name', customer: 'customer', key: 'api_key' }[entityType];
    const days = new Map<string, Map<string, { total_spend: number; metadata: Array<Record<string, unknown>> }>>();
    for (const row of rows) {
      const day = days.get(row.day) ?? new Map();
      days.set(row.day, day);
      const entity = day.get(row.entity_id) ?? { total_spend: 0, metadata: [] };
      day.set(row.entity_id, entity);
      entity.total_spend += Number(row.spend);
      entity.metadata.push({ model: row.model_group, spend: Number(row.spend), requests: row.requests, failed_requests: row.failed_requests, total_tokens: row.prompt_tokens + row.completion_tokens });
    }
    return [...days].map(([day, entities]) => ({
      group_by_day: day,
      [listName]: [...entities].map(([id, entity]) => ({ [idName]: id, total_spend: entity.total_spend, metadata: entity.metadata })),
    }));
  }

  /** LiteLLM's `/spend/tags`: spend and request count per request tag, optionally between two dates (inclusive). */
  @Get('spend/tags')
  async tags(@Req() request: AuthenticatedRequest, @Query() query: Record<string, string | undefined>) {
    requireAdmin(request);
    const date = /^\d{4}-\d{2}-\d{2}$/;
    for (const name of ['start_date', 'end_date'] as const) {
      if (query[name] !== undefined && !date.test(query[name] ?? '')) throw new SwitchboardError('invalid_request', `'${name}' must be YYYY-MM-DD`, { param: name });
    }
    const rows = await this.queries.byTag(query.start_date, query.end_date);
    return rows.map((row) => ({ individual_request_tag: row.tag, log_count: row.requests, total_spend: Number(row.spend) }));
  }

  /** LiteLLM's `/spend/calculate`: the cost of a completion's usage on a configured model. */
  @Post('spend/calculate')
  @HttpCode(200)
  calculate(@Body() body: CalculateBody) {
    const usage = body.completion_response?.usage;
    if (!body.model || !usage) throw new SwitchboardError('invalid_request', "'model' and 'completion_response.usage' are required", { param: 'model' });
    const deployment = this.router.allDeployments().find((candidate) => candidate.modelName === body.model);
    if (!deployment) throw new SwitchboardError('model_not_found', `The model '${quoteInput(body.model)}' does not exist`, { param: 'model' });
    const input = usage.prompt_tokens ?? 0;
    const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
    const output = usage.completion_tokens ?? 0;
    const reasoning = usage.completion_tokens_details?.reasoning_tokens ?? 0;
    const charge = this.pricing.charge(
      { modelGroup: body.model, deploymentId: deployment.id },
      { inputTokens: { total: input, noCache: input - cached, cacheRead: cached, cacheWrite: 0 }, outputTokens: { total: output, text: output - reasoning, reasoning } },
    );
    if (!charge.price) throw new SwitchboardError('invalid_request', `No price is known for '${quoteInput(body.model)}'`, { param: 'model' });
    const cost = charge.cost;
    return { cost: usdToNumber(cost), cost_exact: formatUsd(cost) };
  }
}
