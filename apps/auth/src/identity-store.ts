import type { DataSource } from 'typeorm';
import { identityTables } from '@switchboard/data-access-identity';
import type { IdentityTables, KeyEntity } from '@switchboard/data-access-identity';
import type { SpendTotalsClient } from './spend-totals.client';

export type IdentityRepositories = IdentityTables;

/** The identity tables (typed TypeORM repositories), with transactions for changes that touch several rows. */
export class IdentityStore {
  readonly tables: IdentityTables;

  constructor(
    private readonly dataSource: DataSource,
    private readonly spend: SpendTotalsClient,
  ) {
    this.tables = identityTables(dataSource.manager);
  }

  transaction<T>(work: (tables: IdentityTables) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(identityTables(manager)));
  }

  /**
   * Spend recorded by the budget service for one entity, for the management views: 0 when nothing
   * is recorded yet, and also when the budget service cannot tell (the view still answers). A key
   * is named by its hash and counted under its stable id (`key_id`), so its spend carries on across
   * regenerations.
   */
  async spendOf(entityType: 'key' | 'user' | 'team' | 'organization' | 'customer', entityId: string): Promise<number> {
    const id = entityType === 'key' ? ((await this.tables.keys.find(entityId))?.key_id ?? entityId) : entityId;
    return (await this.spend.spendOf(entityType, id)) ?? 0;
  }

  /** A key's recorded spend for `x-litellm-key-spend`; undefined when the budget service cannot tell. */
  keySpend(stableId: string): Promise<number | undefined> {
    return this.spend.spendOf('key', stableId);
  }

  /** Archives deleted keys with who deleted them, in the same transaction as the delete. */
  static async archiveKey(tables: IdentityTables, row: KeyEntity, deletedBy: string, changedBy: string | undefined): Promise<void> {
    await tables.deletedKeys.insert({ token: row.token, key_row: { ...row }, deleted_by: deletedBy, litellm_changed_by: changedBy ?? null });
  }

  /** Whether Postgres answers (readiness). */
  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}
