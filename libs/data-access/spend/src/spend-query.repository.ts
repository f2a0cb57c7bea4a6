import type { Pool } from 'pg';

export interface SpendLogFilter {
  requestId?: string;
  keyHash?: string;
  userId?: string;
  teamId?: string;
  startDate?: string;
  endDate?: string;
  model?: string;
  status?: string;
  tag?: string;
  limit: number;
}

/** Read side of spend: LiteLLM-shaped spend logs and reports, parameterised queries only. */
export class SpendQueryRepository {
  constructor(private readonly pool: Pool) {}

  async logs(filter: SpendLogFilter): Promise<Array<Record<string, unknown>>> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      values.push(value);
      conditions.push(sql.replace('?', `$${values.length}`));
    };
    if (filter.requestId) {
      values.push(filter.requestId);
      conditions.push(`(request_id = $${values.length} OR response_id = $${values.length})`);
    }
    if (filter.keyHash) add('key_hash = ?', filter.keyHash);
    if (filter.userId) add('user_id = ?', filter.userId);
    if (filter.teamId) add('team_id = ?', filter.teamId);
    if (filter.startDate) add('occurred_at >= ?', filter.startDate);
    if (filter.endDate) add('occurred_at < ?', filter.endDate);
    if (filter.model) add('model_group = ?', filter.model);
    if (filter.status) add('status = ?', filter.status);
    if (filter.tag) add('? = ANY(tags)', filter.tag);
    values.push(filter.limit);
    const result = await this.pool.query(
      `SELECT request_id, response_id, occurred_at, call_type, status, error_code, key_alias, user_id, team_id, customer_id, tags,
              model_group, deployment_id, provider, upstream_model, prompt_tokens, completion_tokens, cache_read_tokens,
              cache_write_tokens, reasoning_tokens, cost::text AS cost, price_missing, usage_estimated, latency_ms, time_to_first_token_ms, attempt, messages, response,
              cache_hit, cache_key
       FROM spend_ledger ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
       ORDER BY occurred_at DESC LIMIT $${values.length}`,
      values,
    );
    return result.rows;
  }

  async byModel(): Promise<Array<Record<string, unknown>>> {
    const result = await this.pool.query(
      `SELECT model_group AS model, sum(cost)::text AS total_spend, count(*)::int AS requests,
              sum(prompt_tokens)::bigint AS prompt_tokens, sum(completion_tokens)::bigint AS completion_tokens
       FROM spend_ledger GROUP BY model_group ORDER BY sum(cost) DESC`,
    );
    return result.rows;
  }

  async byKey(): Promise<Array<Record<string, unknown>>> {
    const result = await this.pool.query(
      `SELECT key_alias, sum(cost)::text AS total_spend, count(*)::int AS requests FROM spend_ledger GROUP BY key_alias ORDER BY sum(cost) DESC`,
    );
    return result.rows;
  }

  /**
   * Daily spend per team, customer or key between two dates (inclusive, UTC days), from the daily
   * aggregates: one row per day and entity, with a per-model breakdown.
   */
  async dailyReport(entityType: 'team' | 'customer' | 'key', startDate: string, endDate: string): Promise<Array<{ day: string; entity_id: string; model_group: string; spend: string; requests: number; failed_requests: number; prompt_tokens: number; completion_tokens: number }>> {
    const result = await this.pool.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, entity_id, model_group, spend::text AS spend, requests::int AS requests,
              failed_requests::int AS failed_requests, prompt_tokens::int AS prompt_tokens, completion_tokens::int AS completion_tokens
       FROM spend_daily WHERE entity_type = $1 AND day >= $2::date AND day <= $3::date
       ORDER BY day, entity_id, model_group`,
      [entityType, startDate, endDate],
    );
    return result.rows;
  }

  /** Spend and requests per request tag (LiteLLM's `/spend/tags`), from the daily aggregates; dates inclusive. */
  async byTag(startDate: string | undefined, endDate: string | undefined): Promise<Array<{ tag: string; spend: string; requests: number }>> {
    const result = await this.pool.query(
      `SELECT entity_id AS tag, sum(spend)::text AS spend, sum(requests)::int AS requests FROM spend_daily
       WHERE entity_type = 'tag' AND ($1::date IS NULL OR day >= $1::date) AND ($2::date IS NULL OR day <= $2::date)
       GROUP BY entity_id ORDER BY sum(spend) DESC`,
      [startDate ?? null, endDate ?? null],
    );
    return result.rows;
  }
}
