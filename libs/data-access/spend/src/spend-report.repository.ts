import type { DataSource, EntityManager } from 'typeorm';
import { SpendDailyEntity } from './entities/spend-daily.entity';
import { SpendLedgerEntryEntity } from './entities/spend-ledger-entry.entity';
import { SpendTotalEntity } from './entities/spend-total.entity';
import type { SpendEntityType } from './ledger-entry';

export interface SpendLogFilter {
  /** A request id or a Responses `resp_` id. */
  requestId?: string;
  keyHash?: string;
  userId?: string;
  teamId?: string;
  /** Instants (inclusive start, exclusive end). */
  startDate?: Date;
  endDate?: Date;
  model?: string;
  status?: string;
  tag?: string;
  limit: number;
}

export interface ModelSpend {
  model: string;
  /** Exact decimal USD. */
  totalSpend: string;
  requests: number;
  promptTokens: number;
  completionTokens: number;
}

export interface KeyAliasSpend {
  keyAlias: string | null;
  totalSpend: string;
  requests: number;
}

export interface DailyEntitySpend {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  entityId: string;
  modelGroup: string;
  spend: string;
  requests: number;
  failedRequests: number;
  promptTokens: number;
  completionTokens: number;
}

export interface TagSpend {
  tag: string;
  spend: string;
  requests: number;
}

export interface EntityRef {
  type: SpendEntityType;
  id: string;
}

interface ModelSpendRow {
  model: string;
  total_spend: string;
  requests: string;
  prompt_tokens: string | null;
  completion_tokens: string | null;
}

/**
 * The read side of spend (LiteLLM's spend logs and reports, the totals the management views show),
 * answered by the budget service, the tables' owner. Typed TypeORM queries; each report runs in a
 * read-only transaction bounded by a statement timeout, so a report on a large ledger cannot hold a
 * connection the ledger consumer needs for longer than the caller waits.
 */
export class SpendReportRepository {
  constructor(private readonly dataSource: DataSource) {}

  logs(filter: SpendLogFilter, timeoutMs: number): Promise<SpendLedgerEntryEntity[]> {
    return this.readOnly(timeoutMs, (manager) => {
      const query = manager.createQueryBuilder(SpendLedgerEntryEntity, 'l');
      if (filter.requestId) query.andWhere('(l.requestId = :requestId OR l.responseId = :requestId)', { requestId: filter.requestId });
      if (filter.keyHash) query.andWhere('l.keyHash = :keyHash', { keyHash: filter.keyHash });
      if (filter.userId) query.andWhere('l.userId = :userId', { userId: filter.userId });
      if (filter.teamId) query.andWhere('l.teamId = :teamId', { teamId: filter.teamId });
      if (filter.startDate) query.andWhere('l.occurredAt >= :startDate', { startDate: filter.startDate });
      if (filter.endDate) query.andWhere('l.occurredAt < :endDate', { endDate: filter.endDate });
      if (filter.model) query.andWhere('l.modelGroup = :model', { model: filter.model });
      if (filter.status) query.andWhere('l.status = :status', { status: filter.status });
      if (filter.tag) query.andWhere(':tag = ANY(l.tags)', { tag: filter.tag });
      return query.orderBy('l.occurredAt', 'DESC').limit(filter.limit).getMany();
    });
  }

  /** Spend per model group over the ledger (`/global/spend/models`). */
  byModel(timeoutMs: number): Promise<ModelSpend[]> {
    return this.readOnly(timeoutMs, async (manager) => {
      const rows = await manager
        .createQueryBuilder(SpendLedgerEntryEntity, 'l')
        .select('l.modelGroup', 'model')
        .addSelect('sum(l.cost)::text', 'total_spend')
        .addSelect('count(*)', 'requests')
        .addSelect('sum(l.promptTokens)', 'prompt_tokens')
        .addSelect('sum(l.completionTokens)', 'completion_tokens')
        .groupBy('l.modelGroup')
        .orderBy('sum(l.cost)', 'DESC')
        .getRawMany<ModelSpendRow>();
      return rows.map((row) => ({
        model: row.model,
        totalSpend: row.total_spend,
        requests: Number(row.requests),
        promptTokens: Number(row.prompt_tokens ?? 0),
        completionTokens: Number(row.completion_tokens ?? 0),
      }));
    });
  }

  /** Spend per key alias over the ledger (`/global/spend/keys`). */
  byKeyAlias(timeoutMs: number): Promise<KeyAliasSpend[]> {
    return this.readOnly(timeoutMs, async (manager) => {
      const rows = await manager
        .createQueryBuilder(SpendLedgerEntryEntity, 'l')
        .select('l.keyAlias', 'key_alias')
        .addSelect('sum(l.cost)::text', 'total_spend')
        .addSelect('count(*)', 'requests')
        .groupBy('l.keyAlias')
        .orderBy('sum(l.cost)', 'DESC')
        .getRawMany<{ key_alias: string | null; total_spend: string; requests: string }>();
      return rows.map((row) => ({ keyAlias: row.key_alias, totalSpend: row.total_spend, requests: Number(row.requests) }));
    });
  }

  /**
   * Daily spend per team, customer or key between two dates (inclusive, UTC days), from the daily
   * aggregates: one row per day, entity and model group.
   */
  daily(entityType: 'team' | 'customer' | 'key', startDate: string, endDate: string, timeoutMs: number): Promise<DailyEntitySpend[]> {
    return this.readOnly(timeoutMs, async (manager) => {
      const rows = await manager
        .createQueryBuilder(SpendDailyEntity, 'd')
        .where('d.entityType = :entityType', { entityType })
        .andWhere('d.day >= :startDate', { startDate })
        .andWhere('d.day <= :endDate', { endDate })
        .orderBy('d.day')
        .addOrderBy('d.entityId')
        .addOrderBy('d.modelGroup')
        .getMany();
      return rows.map((row) => ({
        day: row.day,
        entityId: row.entityId,
        modelGroup: row.modelGroup,
        spend: row.spend,
        requests: row.requests,
        failedRequests: row.failedRequests,
        promptTokens: row.promptTokens,
        completionTokens: row.completionTokens,
      }));
    });
  }

  /** Spend and requests per request tag (LiteLLM's `/spend/tags`), from the daily aggregates; dates inclusive. */
  byTag(startDate: string | undefined, endDate: string | undefined, timeoutMs: number): Promise<TagSpend[]> {
    return this.readOnly(timeoutMs, async (manager) => {
      const query = manager
        .createQueryBuilder(SpendDailyEntity, 'd')
        .select('d.entityId', 'tag')
        .addSelect('sum(d.spend)::text', 'spend')
        .addSelect('sum(d.requests)', 'requests')
        .where("d.entityType = 'tag'");
      if (startDate) query.andWhere('d.day >= :startDate', { startDate });
      if (endDate) query.andWhere('d.day <= :endDate', { endDate });
      const rows = await query.groupBy('d.entityId').orderBy('sum(d.spend)', 'DESC').getRawMany<{ tag: string; spend: string; requests: string }>();
      return rows.map((row) => ({ tag: row.tag, spend: row.spend, requests: Number(row.requests) }));
    });
  }

  /** The running totals of these entities; entities with nothing recorded are absent. */
  totals(entities: readonly EntityRef[], timeoutMs: number): Promise<SpendTotalEntity[]> {
    if (entities.length === 0) return Promise.resolve([]);
    return this.readOnly(timeoutMs, (manager) => manager.getRepository(SpendTotalEntity).find({ where: entities.map((entity) => ({ entityType: entity.type, entityId: entity.id })) }));
  }

  private readOnly<T>(timeoutMs: number, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SET TRANSACTION READ ONLY');
      await manager.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
      return work(manager);
    });
  }
}
