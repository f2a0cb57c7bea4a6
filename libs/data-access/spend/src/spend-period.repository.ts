import type { Pool } from 'pg';

/** Whose spend: a key (by its stable id), user, team or customer, or everything (the global budget); optionally one model group. */
export interface SpendScope {
  entity: 'key' | 'user' | 'team' | 'customer' | 'all';
  id?: string;
  modelGroup?: string;
}

export interface PeriodSpendQuery extends SpendScope {
  /** The period's start; everything recorded since counts. */
  from: Date;
  /** Requests to leave out (their cost is counted elsewhere). */
  excludeRequestIds: readonly string[];
  /** Ledger rows before this instant may have been deleted (`SPEND_LOG_RETENTION_DAYS`). */
  retentionCutoff?: Date;
  statementTimeoutMs: number;
}

const dayMs = 86_400_000;
const ledgerColumn = { key: 'key_id', user: 'user_id', team: 'team_id', customer: 'customer_id' } as const;

/**
 * "What did this budget's owner spend since <instant>", exact to the last digit and cheap for long
 * periods: whole UTC days come from the daily aggregates (kept in the ledger's transaction and
 * beyond ledger retention), only the first, partial day is summed from the ledger. One statement,
 * so one snapshot of both tables.
 */
export class SpendPeriodRepository {
  constructor(private readonly pool: Pool) {}

  async spentSince(query: PeriodSpendQuery): Promise<string> {
    const from = query.from.getTime();
    const fromDay = Math.floor(from / dayMs) * dayMs;
    // A partial first day whose ledger rows retention may have deleted counts as a whole day: never less than was spent.
    const partialUnreliable = query.retentionCutoff !== undefined && from > fromDay && fromDay < query.retentionCutoff.getTime();
    const wholeDaysFrom = from === fromDay || partialUnreliable ? fromDay : fromDay + dayMs;
    const values: unknown[] = [];
    const parameter = (value: unknown) => {
      values.push(value);
      return `$${values.length}`;
    };
    const daily: string[] = [`entity_type = ${parameter(query.entity === 'all' ? 'model' : query.entity)}`, `day >= ${parameter(new Date(wholeDaysFrom).toISOString().slice(0, 10))}::date`];
    const ledger: string[] = [];
    if (query.entity !== 'all') {
      if (!query.id) throw new Error(`A ${query.entity} budget needs its id`);
      const id = parameter(query.id);
      daily.push(`entity_id = ${id}`);
      ledger.push(`${ledgerColumn[query.entity]} = ${id}`);
    }
    if (query.modelGroup) {
      const model = parameter(query.modelGroup);
      daily.push(`model_group = ${model}`);
      ledger.push(`model_group = ${model}`);
    }
    const excluded = parameter(query.excludeRequestIds);
    const partialFrom = parameter(new Date(from).toISOString());
    const wholeFrom = parameter(new Date(wholeDaysFrom).toISOString());
    const scope = ledger.length ? `${ledger.join(' AND ')} AND ` : '';
    const sql = `
      WITH daily AS (SELECT coalesce(sum(spend), 0) AS spend FROM spend_daily WHERE ${daily.join(' AND ')}),
           partial AS (SELECT coalesce(sum(cost), 0) AS spend FROM spend_ledger
                       WHERE ${scope}occurred_at >= ${partialFrom}::timestamptz AND occurred_at < ${wholeFrom}::timestamptz AND NOT (request_id = ANY(${excluded}::text[]))),
           left_out AS (SELECT coalesce(sum(cost), 0) AS spend FROM spend_ledger
                        WHERE ${scope}occurred_at >= ${wholeFrom}::timestamptz AND request_id = ANY(${excluded}::text[]))
      SELECT greatest(daily.spend + partial.spend - left_out.spend, 0)::text AS spend FROM daily, partial, left_out`;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN READ ONLY');
      await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(query.statementTimeoutMs))}`);
      const result = await client.query<{ spend: string }>(sql, values);
      await client.query('COMMIT');
      return result.rows[0].spend;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
