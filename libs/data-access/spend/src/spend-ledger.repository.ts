import { LessThan } from 'typeorm';
import type { DataSource } from 'typeorm';
import { SpendLedgerEntryEntity } from './entities/spend-ledger-entry.entity';
import { SpendTotalEntity } from './entities/spend-total.entity';
import type { LedgerEntry, SpendEntityType } from './ledger-entry';

function entities(entry: LedgerEntry): Array<[SpendEntityType, string]> {
  const list: Array<[SpendEntityType, string | undefined]> = [
    ['key', entry.keyId ?? entry.keyHash],
    ['user', entry.userId],
    ['team', entry.teamId],
    ['organization', entry.organizationId],
    ['customer', entry.customerId],
    ['model', entry.modelGroup],
    ...entry.tags.map((tag): [SpendEntityType, string] => ['tag', tag]),
  ];
  return list.filter((item): item is [SpendEntityType, string] => typeof item[1] === 'string' && item[1] !== '');
}

/**
 * The ledger: insert-once by message id, totals and daily aggregates updated in the same
 * transaction. The insert and the aggregate upserts are the one hot write of the system (every usage
 * event), so they stay parameterised SQL over the DataSource's connection (an upsert that adds to a
 * row has no TypeORM equivalent short of a read-modify-write); everything else is typed TypeORM.
 */
export class SpendLedgerRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Records the entry; false when its message id was already recorded (nothing charged twice). */
  async record(entry: LedgerEntry): Promise<boolean> {
    return (await this.recordBatch([entry])).has(entry.messageId);
  }

  /**
   * Records a batch of entries in one transaction: one multi-row insert (a message id already in the
   * ledger inserts nothing: redelivery and duplicates are no-ops), then the totals and daily
   * aggregates of the rows actually inserted, summed by Postgres (exact numeric) and upserted once per
   * entity. Answers the message ids inserted. Four statements per batch instead of about ten per entry.
   */
  async recordBatch(batch: readonly LedgerEntry[]): Promise<Set<string>> {
    // The same event twice in one batch (a redelivery beside its first delivery) is one entry.
    const entries = [...new Map(batch.map((entry) => [entry.messageId, entry])).values()];
    if (entries.length === 0) return new Set();
    const client = this.dataSource.createQueryRunner();
    try {
      await client.connect();
      await client.startTransaction();
      const inserted = new Set(((await client.query(insertLedger(entries), entries.flatMap(ledgerValues))) as Array<{ message_id: string }>).map((row) => row.message_id));
      const counted = entries.filter((entry) => inserted.has(entry.messageId));
      const contributions = counted.flatMap((entry) => entities(entry).map(([type, id]) => ({ type, id, entry })));
      if (contributions.length > 0) {
        await client.query(upsertDaily(contributions.length), contributions.flatMap(dailyValues));
        await client.query(upsertTotals(contributions.length), contributions.flatMap(totalValues));
      }
      await client.commitTransaction();
      return inserted;
    } catch (error) {
      if (client.isTransactionActive) await client.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await client.release();
    }
  }

  /** Ledger retention: deletes rows older than the cutoff (totals and daily aggregates stay). Answers how many went. */
  async deleteOlderThan(cutoff: Date): Promise<number> {
    const result = await this.dataSource.getRepository(SpendLedgerEntryEntity).delete({ occurredAt: LessThan(cutoff) });
    return result.affected ?? 0;
  }

  async totalFor(type: SpendEntityType, id: string): Promise<{ spend: string; requests: number } | undefined> {
    const total = await this.dataSource.getRepository(SpendTotalEntity).findOneBy({ entityType: type, entityId: id });
    return total ? { spend: total.spend, requests: total.requests } : undefined;
  }
}

const ledgerColumns = `message_id, request_id, response_id, occurred_at, call_type, status, error_code, key_hash, key_alias,
  user_id, team_id, organization_id, customer_id, tags, model_group, deployment_id, provider, upstream_model, prompt_tokens,
  completion_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost, price_source, price_missing,
  usage_estimated, latency_ms, time_to_first_token_ms, attempt, messages, response, key_id, cache_hit, cache_key`;
const ledgerWidth = 35;
/** Parameter positions of the columns needing a cast from text. */
const ledgerCasts: Record<number, string> = { 30: '::jsonb' };

/** `($1,$2,...),($n+1,...)` for `rows` rows of `width` parameters, with the casts of some positions. */
function placeholders(rows: number, width: number, casts: Record<number, string> = {}): string {
  const tuples: string[] = [];
  for (let row = 0; row < rows; row += 1) {
    const values: string[] = [];
    for (let column = 0; column < width; column += 1) values.push(`$${row * width + column + 1}${casts[column] ?? ''}`);
    tuples.push(`(${values.join(',')})`);
  }
  return tuples.join(',');
}

function insertLedger(entries: readonly LedgerEntry[]): string {
  return `INSERT INTO spend_ledger (${ledgerColumns}) VALUES ${placeholders(entries.length, ledgerWidth, ledgerCasts)} ON CONFLICT (message_id) DO NOTHING RETURNING message_id`;
}

function ledgerValues(entry: LedgerEntry): unknown[] {
  return [
    entry.messageId, entry.requestId, entry.responseId ?? null, entry.occurredAt, entry.callType, entry.status, entry.errorCode ?? null,
    entry.keyHash ?? null, entry.keyAlias ?? null, entry.userId ?? null, entry.teamId ?? null, entry.organizationId ?? null,
    entry.customerId ?? null, entry.tags, entry.modelGroup, entry.deploymentId, entry.provider, entry.upstreamModel,
    entry.promptTokens, entry.completionTokens, entry.cacheReadTokens, entry.cacheWriteTokens, entry.reasoningTokens, entry.cost,
    entry.priceSource, entry.priceMissing, entry.usageEstimated, Math.round(entry.latencyMs),
    entry.timeToFirstTokenMs === undefined ? null : Math.round(entry.timeToFirstTokenMs), entry.attempt,
    entry.messages === undefined ? null : JSON.stringify(entry.messages), entry.response ?? null, entry.keyId ?? entry.keyHash ?? null,
    entry.cacheHit === true, entry.cacheKey ?? null,
  ];
}

interface Contribution {
  type: SpendEntityType;
  id: string;
  entry: LedgerEntry;
}

const dailyWidth = 10;
const dailyCasts: Record<number, string> = { 0: '::timestamptz', 4: '::numeric', 5: '::bigint', 6: '::bigint', 7: '::bigint', 8: '::bigint', 9: '::bigint' };

/** The daily aggregates of a batch: its contributions summed per (day, entity, model group), added to the rows. */
function upsertDaily(rows: number): string {
  return `INSERT INTO spend_daily (day, entity_type, entity_id, model_group, spend, requests, successful_requests, failed_requests,
      prompt_tokens, completion_tokens, cache_read_tokens, cache_write_tokens)
    SELECT (occurred_at AT TIME ZONE 'UTC')::date, entity_type, entity_id, model_group, sum(spend), count(*), sum(ok), count(*) - sum(ok),
      sum(prompt_tokens), sum(completion_tokens), sum(cache_read_tokens), sum(cache_write_tokens)
    FROM (VALUES ${placeholders(rows, dailyWidth, dailyCasts)}) AS batch(occurred_at, entity_type, entity_id, model_group, spend, ok,
      prompt_tokens, completion_tokens, cache_read_tokens, cache_write_tokens)
    GROUP BY 1, 2, 3, 4
    ON CONFLICT (day, entity_type, entity_id, model_group) DO UPDATE SET spend = spend_daily.spend + EXCLUDED.spend,
      requests = spend_daily.requests + EXCLUDED.requests, successful_requests = spend_daily.successful_requests + EXCLUDED.successful_requests,
      failed_requests = spend_daily.failed_requests + EXCLUDED.failed_requests,
      prompt_tokens = spend_daily.prompt_tokens + EXCLUDED.prompt_tokens, completion_tokens = spend_daily.completion_tokens + EXCLUDED.completion_tokens,
      cache_read_tokens = spend_daily.cache_read_tokens + EXCLUDED.cache_read_tokens, cache_write_tokens = spend_daily.cache_write_tokens + EXCLUDED.cache_write_tokens`;
}

function dailyValues({ type, id, entry }: Contribution): unknown[] {
  return [entry.occurredAt, type, id, entry.modelGroup, entry.cost, entry.status === 'success' ? 1 : 0, entry.promptTokens, entry.completionTokens, entry.cacheReadTokens, entry.cacheWriteTokens];
}

const totalWidth = 5;
const totalCasts: Record<number, string> = { 2: '::numeric', 3: '::bigint', 4: '::bigint' };

/** The totals of a batch: its contributions summed per entity, added to the rows. */
function upsertTotals(rows: number): string {
  return `INSERT INTO spend_totals (entity_type, entity_id, spend, requests, prompt_tokens, completion_tokens)
    SELECT entity_type, entity_id, sum(spend), count(*), sum(prompt_tokens), sum(completion_tokens)
    FROM (VALUES ${placeholders(rows, totalWidth, totalCasts)}) AS batch(entity_type, entity_id, spend, prompt_tokens, completion_tokens)
    GROUP BY 1, 2
    ON CONFLICT (entity_type, entity_id) DO UPDATE SET spend = spend_totals.spend + EXCLUDED.spend,
      requests = spend_totals.requests + EXCLUDED.requests, prompt_tokens = spend_totals.prompt_tokens + EXCLUDED.prompt_tokens,
      completion_tokens = spend_totals.completion_tokens + EXCLUDED.completion_tokens, updated_at = now()`;
}

function totalValues({ type, id, entry }: Contribution): unknown[] {
  return [type, id, entry.cost, entry.promptTokens, entry.completionTokens];
}
