import type {
  CalculateSpendReplyV1,
  CalculateSpendRequestV1,
  DailySpendReplyV1,
  DailySpendRequestV1,
  SpendByKeyReplyV1,
  SpendByModelReplyV1,
  SpendByTagReplyV1,
  SpendByTagRequestV1,
  SpendLogRecordV1,
  SpendLogsReplyV1,
  SpendLogsRequestV1,
  SpendTotalsReplyV1,
  SpendTotalsRequestV1,
} from '@switchboard/contracts';
import type { SpendLedgerEntryEntity, SpendReportRepository } from '@switchboard/data-access-spend';
import { formatUsd } from '@switchboard/pricing';
import type { PricingService } from '@switchboard/pricing';
import type { Logger } from '@switchboard/observability';
import { SwitchboardError, quoteInput } from '@switchboard/spec';

export interface SpendReportsOptions {
  /** Bound of one report's queries (a statement timeout), under the gateways' SPEND_REPORT_TIMEOUT_MS. */
  timeoutMs: number;
  logger?: Pick<Logger, 'warn'>;
}

/** Postgres' `query_canceled`: the statement timeout ended the report. */
const queryCanceled = '57014';

/**
 * The spend reports, answered by the ledger's owner (docs/ARCHITECTURE.md D16): the gateway and the
 * auth service ask over NATS instead of reading the spend tables. `/spend/calculate` is priced here
 * too, with the same price book the ledger is priced with.
 */
export class SpendReportsService {
  constructor(
    private readonly reports: SpendReportRepository,
    private readonly pricing: PricingService,
    private readonly options: SpendReportsOptions,
  ) {}

  async logs(request: SpendLogsRequestV1): Promise<SpendLogsReplyV1> {
    const rows = await this.read('logs', () => this.reports.logs(
      {
        requestId: request.requestId,
        keyHash: request.keyHash,
        userId: request.userId,
        teamId: request.teamId,
        startDate: request.startDate === undefined ? undefined : new Date(request.startDate),
        endDate: request.endDate === undefined ? undefined : new Date(request.endDate),
        model: request.model,
        status: request.status,
        tag: request.tag,
        limit: request.limit,
      },
      this.options.timeoutMs,
    ));
    return { logs: rows.map(logRecord) };
  }

  async byModel(): Promise<SpendByModelReplyV1> {
    const rows = await this.read('byModel', () => this.reports.byModel(this.options.timeoutMs));
    return { models: rows.map((row) => ({ model: row.model, total_spend: row.totalSpend, requests: row.requests, prompt_tokens: row.promptTokens, completion_tokens: row.completionTokens })) };
  }

  async byKey(): Promise<SpendByKeyReplyV1> {
    const rows = await this.read('byKeyAlias', () => this.reports.byKeyAlias(this.options.timeoutMs));
    return { keys: rows.map((row) => ({ key_alias: row.keyAlias, total_spend: row.totalSpend, requests: row.requests })) };
  }

  async daily(request: DailySpendRequestV1): Promise<DailySpendReplyV1> {
    const rows = await this.read('daily', () => this.reports.daily(request.entityType, request.startDate, request.endDate, this.options.timeoutMs));
    return {
      days: rows.map((row) => ({
        day: row.day,
        entity_id: row.entityId,
        model_group: row.modelGroup,
        spend: row.spend,
        requests: row.requests,
        failed_requests: row.failedRequests,
        prompt_tokens: row.promptTokens,
        completion_tokens: row.completionTokens,
      })),
    };
  }

  async byTag(request: SpendByTagRequestV1): Promise<SpendByTagReplyV1> {
    const rows = await this.read('byTag', () => this.reports.byTag(request.startDate, request.endDate, this.options.timeoutMs));
    return { tags: rows.map((row) => ({ tag: row.tag, spend: row.spend, requests: row.requests })) };
  }

  async totals(request: SpendTotalsRequestV1): Promise<SpendTotalsReplyV1> {
    const rows = await this.read('totals', () => this.reports.totals(request.entities, this.options.timeoutMs));
    return {
      totals: rows.map((row) => ({ type: row.entityType as SpendTotalsReplyV1['totals'][number]['type'], id: row.entityId, spend: row.spend, requests: row.requests })),
    };
  }

  /** A report's queries; a database failure is a 503 to retry, without its internals. */
  private async read<T>(report: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      this.options.logger?.warn({ report, err: error }, 'spend report failed');
      if (isQueryCanceled(error)) {
        throw new SwitchboardError('upstream_unavailable', `The spend report took longer than ${this.options.timeoutMs} ms; narrow it (dates, filters) or retry`, { retryAfterSeconds: 1 });
      }
      throw new SwitchboardError('upstream_unavailable', 'The spend ledger is unavailable right now', { retryAfterSeconds: 1 });
    }
  }

  /** The cost of a completion's usage on a model group, as the ledger would bill it. */
  calculate(request: CalculateSpendRequestV1): CalculateSpendReplyV1 {
    if (!this.pricing.hasGroup(request.model)) throw new SwitchboardError('model_not_found', `The model '${quoteInput(request.model)}' does not exist`, { param: 'model' });
    const input = request.usage.prompt_tokens ?? 0;
    const cached = request.usage.prompt_tokens_details?.cached_tokens ?? 0;
    const output = request.usage.completion_tokens ?? 0;
    const reasoning = request.usage.completion_tokens_details?.reasoning_tokens ?? 0;
    if (cached > input) throw new SwitchboardError('invalid_request', 'cached_tokens cannot exceed prompt_tokens', { param: 'completion_response.usage.prompt_tokens_details.cached_tokens' });
    if (reasoning > output) throw new SwitchboardError('invalid_request', 'reasoning_tokens cannot exceed completion_tokens', { param: 'completion_response.usage.completion_tokens_details.reasoning_tokens' });
    const charge = this.pricing.charge(
      { modelGroup: request.model },
      { inputTokens: { total: input, noCache: input - cached, cacheRead: cached, cacheWrite: 0 }, outputTokens: { total: output, text: output - reasoning, reasoning } },
    );
    if (!charge.price) throw new SwitchboardError('invalid_request', `No price is known for '${quoteInput(request.model)}'`, { param: 'model' });
    return { cost: formatUsd(charge.cost) };
  }
}

function isQueryCanceled(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === queryCanceled;
}

function logRecord(row: SpendLedgerEntryEntity): SpendLogRecordV1 {
  return {
    request_id: row.requestId,
    response_id: row.responseId,
    occurred_at: row.occurredAt.toISOString(),
    call_type: row.callType,
    status: row.status,
    error_code: row.errorCode,
    key_alias: row.keyAlias,
    user_id: row.userId,
    team_id: row.teamId,
    customer_id: row.customerId,
    tags: row.tags,
    model_group: row.modelGroup,
    deployment_id: row.deploymentId,
    provider: row.provider,
    upstream_model: row.upstreamModel,
    prompt_tokens: row.promptTokens,
    completion_tokens: row.completionTokens,
    cache_read_tokens: row.cacheReadTokens,
    cache_write_tokens: row.cacheWriteTokens,
    reasoning_tokens: row.reasoningTokens,
    cost: row.cost,
    price_missing: row.priceMissing,
    usage_estimated: row.usageEstimated,
    latency_ms: row.latencyMs,
    time_to_first_token_ms: row.timeToFirstTokenMs,
    attempt: row.attempt,
    messages: row.messages,
    response: row.response,
    cache_hit: row.cacheHit,
    cache_key: row.cacheKey,
  };
}
