import type { Pool, PoolClient } from 'pg';
import { TableRepository, identityTables } from '@switchboard/data-access-identity';
import type { IdentityTableName, Row } from '@switchboard/data-access-identity';
import type { SpendTotalsClient } from './spend-totals.client';

export type IdentityRepositories = { [name in IdentityTableName]: TableRepository };

function repositories(db: Pool | PoolClient): IdentityRepositories {
  return Object.fromEntries(Object.entries(identityTables).map(([name, definition]) => [name, new TableRepository(db, definition)])) as IdentityRepositories;
}

/** The identity tables over one pool, with transactions for changes that touch several rows. */
export class IdentityStore {
  readonly tables: IdentityRepositories;

  constructor(
    private readonly pool: Pool,
    private readonly spend: SpendTotalsClient,
  ) {
    this.tables = repositories(pool);
  }

  async transaction<T>(work: (tables: IdentityRepositories) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(repositories(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Spend recorded by the budget service for one entity, for the management views: 0 when nothing
   * is recorded yet, and also when the budget service cannot tell (the view still answers). A key
   * is named by its hash and counted under its stable id (`key_id`), so its spend carries on across
   * regenerations.
   */
  async spendOf(entityType: 'key' | 'user' | 'team' | 'organization' | 'customer', entityId: string): Promise<number> {
    const id = entityType === 'key' ? String((await this.tables.keys.find(entityId))?.key_id ?? entityId) : entityId;
    return (await this.spend.spendOf(entityType, id)) ?? 0;
  }

  /** A key's recorded spend for `x-litellm-key-spend`; undefined when the budget service cannot tell. */
  keySpend(stableId: string): Promise<number | undefined> {
    return this.spend.spendOf('key', stableId);
  }

  /** Archives deleted keys with who deleted them, in the same transaction as the delete. */
  static async archiveKey(tables: IdentityRepositories, row: Row, deletedBy: string, changedBy: string | undefined): Promise<void> {
    await tables.deletedKeys.insert({ token: row.token, key_row: row, deleted_by: deletedBy, litellm_changed_by: changedBy ?? null });
  }
}
