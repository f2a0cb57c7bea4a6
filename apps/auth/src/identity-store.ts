import type { Pool, PoolClient } from 'pg';
import { TableRepository, identityTables } from '@switchboard/data-access-identity';
import type { IdentityTableName, Row } from '@switchboard/data-access-identity';

export type IdentityRepositories = { [name in IdentityTableName]: TableRepository };

function repositories(db: Pool | PoolClient): IdentityRepositories {
  return Object.fromEntries(Object.entries(identityTables).map(([name, definition]) => [name, new TableRepository(db, definition)])) as IdentityRepositories;
}

/** The identity tables over one pool, with transactions for changes that touch several rows. */
export class IdentityStore {
  readonly tables: IdentityRepositories;

  constructor(private readonly pool: Pool) {
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
   * Spend recorded by the budget service for one entity (its `spend_totals` row), 0 when none yet.
   * A key is named by its hash and counted under its stable id (`key_id`), so its spend carries
   * on across regenerations.
   */
  async spendOf(entityType: 'key' | 'user' | 'team' | 'organization' | 'customer', entityId: string): Promise<number> {
    try {
      const result =
        entityType === 'key'
          ? await this.pool.query<{ spend: string }>(
              `SELECT spend FROM spend_totals WHERE entity_type = 'key' AND entity_id = coalesce((SELECT key_id FROM identity_keys WHERE token = $1), $1)`,
              [entityId],
            )
          : await this.pool.query<{ spend: string }>('SELECT spend FROM spend_totals WHERE entity_type = $1 AND entity_id = $2', [entityType, entityId]);
      return Number(result.rows[0]?.spend ?? 0);
    } catch {
      return 0;
    }
  }

  /** Archives deleted keys with who deleted them, in the same transaction as the delete. */
  static async archiveKey(tables: IdentityRepositories, row: Row, deletedBy: string, changedBy: string | undefined): Promise<void> {
    await tables.deletedKeys.insert({ token: row.token, key_row: row, deleted_by: deletedBy, litellm_changed_by: changedBy ?? null });
  }
}
