import type { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { SpendDailyEntity } from './entities/spend-daily.entity';
import { SpendLedgerEntryEntity } from './entities/spend-ledger-entry.entity';

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
const ledgerColumn = { key: 'keyId', user: 'userId', team: 'teamId', customer: 'customerId' } as const;

/**
 * "What did this budget's owner spend since <instant>", exact to the last digit and cheap for long
 * periods: whole UTC days come from the daily aggregates (kept in the ledger's transaction and
 * beyond ledger retention), only the first, partial day is summed from the ledger. One statement
 * (three typed sub-queries), so one snapshot of both tables, bounded by a statement timeout.
 */
export class SpendPeriodRepository {
  constructor(private readonly dataSource: DataSource) {}

  async spentSince(query: PeriodSpendQuery): Promise<string> {
    const from = query.from.getTime();
    const fromDay = Math.floor(from / dayMs) * dayMs;
    // A partial first day whose ledger rows retention may have deleted counts as a whole day: never less than was spent.
    const partialUnreliable = query.retentionCutoff !== undefined && from > fromDay && fromDay < query.retentionCutoff.getTime();
    const wholeDaysFrom = from === fromDay || partialUnreliable ? fromDay : fromDay + dayMs;
    if (query.entity !== 'all' && !query.id) throw new Error(`A ${query.entity} budget needs its id`);
    const parameters = {
      entityType: query.entity === 'all' ? 'model' : query.entity,
      entityId: query.id,
      modelGroup: query.modelGroup,
      wholeDay: new Date(wholeDaysFrom).toISOString().slice(0, 10),
      partialFrom: new Date(from),
      wholeFrom: new Date(wholeDaysFrom),
      excluded: [...query.excludeRequestIds],
    };
    /** The ledger rows of this budget's owner (and model group). */
    const scoped = <T extends ObjectLiteral>(builder: SelectQueryBuilder<T>, alias: string) => {
      if (query.entity !== 'all') builder.andWhere(`${alias}.${ledgerColumn[query.entity]} = :entityId`);
      if (query.modelGroup) builder.andWhere(`${alias}.modelGroup = :modelGroup`);
      return builder;
    };
    return this.dataSource.transaction('READ COMMITTED', async (manager) => {
      await manager.query('SET TRANSACTION READ ONLY');
      await manager.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(query.statementTimeoutMs))}`);
      const result = await manager
        .createQueryBuilder()
        .select('greatest(daily.spend + partial.spend - left_out.spend, 0)::text', 'spend')
        .from((builder) => {
          const daily = builder.select('coalesce(sum(d.spend), 0)', 'spend').from(SpendDailyEntity, 'd').where('d.entityType = :entityType').andWhere('d.day >= :wholeDay');
          if (query.entity !== 'all') daily.andWhere('d.entityId = :entityId');
          if (query.modelGroup) daily.andWhere('d.modelGroup = :modelGroup');
          return daily;
        }, 'daily')
        .addFrom(
          (builder) =>
            scoped(builder.select('coalesce(sum(p.cost), 0)', 'spend').from(SpendLedgerEntryEntity, 'p').where('p.occurredAt >= :partialFrom').andWhere('p.occurredAt < :wholeFrom'), 'p').andWhere(
              'NOT (p.requestId = ANY(CAST(:excluded AS text[])))',
            ),
          'partial',
        )
        .addFrom(
          (builder) =>
            scoped(builder.select('coalesce(sum(o.cost), 0)', 'spend').from(SpendLedgerEntryEntity, 'o').where('o.occurredAt >= :wholeFrom'), 'o').andWhere('o.requestId = ANY(CAST(:excluded AS text[]))'),
          'left_out',
        )
        .setParameters(parameters)
        .getRawOne<{ spend: string }>();
      return result?.spend ?? '0';
    });
  }
}
