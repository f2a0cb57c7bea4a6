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
    const client = this.dataSource.createQueryRunner();
    try {
      await client.connect();
      await client.startTransaction();
      const inserted: unknown[] = await client.query(
        `INSERT INTO spend_ledger (message_id, request_id, response_id, occurred_at, call_type, status, error_code, key_hash, key_alias,
           user_id, team_id, organization_id, customer_id, tags, model_group, deployment_id, provider, upstream_model, prompt_tokens,
           completion_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost, price_source, price_missing,
           usage_estimated, latency_ms, time_to_first_token_ms, attempt, messages, response, key_id, cache_hit, cache_key)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26,$27,$28,$29,$30,$31::jsonb,$32,$33,$34,$35)
         ON CONFLICT (message_id) DO NOTHING RETURNING message_id`,
        [
          entry.messageId, entry.requestId, entry.responseId ?? null, entry.occurredAt, entry.callType, entry.status, entry.errorCode ?? null,
          entry.keyHash ?? null, entry.keyAlias ?? null, entry.userId ?? null, entry.teamId ?? null, entry.organizationId ?? null,
          entry.customerId ?? null, entry.tags, entry.modelGroup, entry.deploymentId, entry.provider, entry.upstreamModel,
          entry.promptTokens, entry.completionTokens, entry.cacheReadTokens, entry.cacheWriteTokens, entry.reasoningTokens, entry.cost,
          entry.priceSource, entry.priceMissing, entry.usageEstimated, Math.round(entry.latencyMs),
          entry.timeToFirstTokenMs === undefined ? null : Math.round(entry.timeToFirstTokenMs), entry.attempt,
          entry.messages === undefined ? null : JSON.stringify(entry.messages), entry.response ?? null, entry.keyId ?? entry.keyHash ?? null,
          entry.cacheHit === true, entry.cacheKey ?? null,
        ],
      );
      if (inserted.length === 0) {
        await client.rollbackTransaction();
        return false;
      }
      const success = entry.status === 'success' ? 1 : 0;
      for (const [type, id] of entities(entry)) {
        await client.query(
          `INSERT INTO spend_daily (day, entity_type, entity_id, model_group, spend, requests, successful_requests, failed_requests,
             prompt_tokens, completion_tokens, cache_read_tokens, cache_write_tokens)
           VALUES (($1::timestamptz AT TIME ZONE 'UTC')::date, $2, $3, $4, $5, 1, $6, $7, $8, $9, $10, $11)
           ON CONFLICT (day, entity_type, entity_id, model_group) DO UPDATE SET spend = spend_daily.spend + EXCLUDED.spend,
             requests = spend_daily.requests + 1, successful_requests = spend_daily.successful_requests + EXCLUDED.successful_requests,
             failed_requests = spend_daily.failed_requests + EXCLUDED.failed_requests,
             prompt_tokens = spend_daily.prompt_tokens + EXCLUDED.prompt_tokens, completion_tokens = spend_daily.completion_tokens + EXCLUDED.completion_tokens,
             cache_read_tokens = spend_daily.cache_read_tokens + EXCLUDED.cache_read_tokens, cache_write_tokens = spend_daily.cache_write_tokens + EXCLUDED.cache_write_tokens`,
          [entry.occurredAt, type, id, entry.modelGroup, entry.cost, success, 1 - success, entry.promptTokens, entry.completionTokens, entry.cacheReadTokens, entry.cacheWriteTokens],
        );
        await client.query(
          `INSERT INTO spend_totals (entity_type, entity_id, spend, requests, prompt_tokens, completion_tokens)
           VALUES ($1, $2, $3, 1, $4, $5)
           ON CONFLICT (entity_type, entity_id) DO UPDATE SET spend = spend_totals.spend + EXCLUDED.spend,
             requests = spend_totals.requests + 1, prompt_tokens = spend_totals.prompt_tokens + EXCLUDED.prompt_tokens,
             completion_tokens = spend_totals.completion_tokens + EXCLUDED.completion_tokens, updated_at = now()`,
          [type, id, entry.cost, entry.promptTokens, entry.completionTokens],
        );
      }
      await client.commitTransaction();
      return true;
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
