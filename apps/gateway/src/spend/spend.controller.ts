import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, UseGuards } from '@nestjs/common';
import { calculateSpendRequestSchema, spendLogsRequestSchema } from '@switchboard/contracts';
import { SwitchboardError } from '@switchboard/spec';
import type { ZodType } from 'zod';
import { AuthGuard } from '../auth/auth.guard';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { SpendReportsClient } from './spend-reports.client';

interface CalculateBody {
  model?: unknown;
  completion_response?: { usage?: unknown };
}

const date = /^\d{4}-\d{2}-\d{2}$/;

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

/** A query parameter that must parse; the first problem is a 400 naming it. */
function checked<T>(schema: ZodType<T>, value: unknown, param: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new SwitchboardError('invalid_request', `'${param}' ${parsed.error.issues[0]?.message ?? 'is invalid'}`, { param });
}

/**
 * LiteLLM's spend routes. The gateway decides who may read what (the caller is verified here) and
 * shapes LiteLLM's answer; the data comes from the budget service, owner of the ledger, over NATS
 * (docs/ARCHITECTURE.md D16). The gateway holds no connection to the spend tables.
 */
@Controller()
@UseGuards(AuthGuard)
export class SpendController {
  constructor(@Inject(SpendReportsClient) private readonly reports: SpendReportsClient) {}

  @Get('spend/logs')
  async logs(@Req() request: AuthenticatedRequest, @Query() query: Record<string, string | undefined>) {
    const scope = logScope(request, query);
    const filter = {
      v: 1 as const,
      requestId: query.request_id || undefined,
      keyHash: scope.keyHash || undefined,
      userId: scope.userId || undefined,
      teamId: query.team_id || undefined,
      startDate: query.start_date || undefined,
      endDate: query.end_date || undefined,
      model: query.model || undefined,
      status: query.status || undefined,
      tag: query.tag || undefined,
      limit: Math.min(Number(query.limit ?? 100) || 100, 1_000),
    };
    for (const [param, field] of [['start_date', 'startDate'], ['end_date', 'endDate']] as const) {
      checked(spendLogsRequestSchema.shape[field], filter[field], param);
    }
    const { logs } = await this.reports.logs(filter);
    if (query.summarize === 'true') {
      const total = logs.reduce((sum, row) => sum + Number(row.cost), 0);
      return { total_spend: total, requests: logs.length };
    }
    return logs.map((row) => ({ ...row, spend: Number(row.cost), model: row.model_group }));
  }

  @Get('global/spend/models')
  async models(@Req() request: AuthenticatedRequest) {
    requireAdmin(request);
    return (await this.reports.byModel()).models.map((row) => ({ ...row, total_spend: Number(row.total_spend) }));
  }

  @Get('global/spend/keys')
  async keys(@Req() request: AuthenticatedRequest) {
    requireAdmin(request);
    return (await this.reports.byKey()).keys.map((row) => ({ ...row, total_spend: Number(row.total_spend) }));
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
    if (!query.start_date || !date.test(query.start_date)) throw new SwitchboardError('invalid_request', "'start_date' (YYYY-MM-DD) is required", { param: 'start_date' });
    if (!query.end_date || !date.test(query.end_date)) throw new SwitchboardError('invalid_request', "'end_date' (YYYY-MM-DD) is required", { param: 'end_date' });
    const { days: rows } = await this.reports.daily({ v: 1, entityType, startDate: query.start_date, endDate: query.end_date });
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
    for (const name of ['start_date', 'end_date'] as const) {
      if (query[name] !== undefined && !date.test(query[name] ?? '')) throw new SwitchboardError('invalid_request', `'${name}' must be YYYY-MM-DD`, { param: name });
    }
    const { tags } = await this.reports.byTag({ v: 1, startDate: query.start_date, endDate: query.end_date });
    return tags.map((row) => ({ individual_request_tag: row.tag, log_count: row.requests, total_spend: Number(row.spend) }));
  }

  /** LiteLLM's `/spend/calculate`: the cost of a completion's usage on a configured model, priced as the ledger prices it. */
  @Post('spend/calculate')
  @HttpCode(200)
  async calculate(@Body() body: CalculateBody | undefined) {
    const usage = body?.completion_response?.usage;
    if (typeof body?.model !== 'string' || !body.model || usage === undefined) {
      throw new SwitchboardError('invalid_request', "'model' and 'completion_response.usage' are required", { param: 'model' });
    }
    const parsed = calculateSpendRequestSchema.shape.usage.safeParse(usage);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const param = ['completion_response', 'usage', ...(issue?.path ?? []).map(String)].join('.');
      throw new SwitchboardError('invalid_request', `'${param}' ${issue?.message ?? 'is invalid'}`, { param });
    }
    const { cost } = await this.reports.calculate({ v: 1, model: body.model, usage: parsed.data });
    return { cost: Number(cost), cost_exact: cost };
  }
}
