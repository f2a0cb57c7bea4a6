import pg from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation } from '@switchboard/testing';
import type { Isolation } from '@switchboard/testing';
import { ResponseRepository, createResponsesDataSource, responsesMigrations } from './index';

describe('stored responses in Postgres', () => {
  let isolation: Isolation;
  let pool: pg.Pool;
  let dataSource: DataSource | undefined;

  const migrate = async () => {
    const dataSource = new DataSource({ type: 'postgres', url: isolation.databaseUrl, migrations: responsesMigrations, migrationsTableName: 'switchboard_migrations' });
    await dataSource.initialize();
    const applied = await dataSource.runMigrations();
    await dataSource.destroy();
    return applied.length;
  };

  beforeAll(async () => {
    isolation = await createIsolation();
    pool = new pg.Pool({ connectionString: isolation.databaseUrl });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await pool?.end();
    await isolation?.cleanup();
  });

  it('migrations apply to an empty database and are idempotent', async () => {
    expect(await migrate()).toBe(1);
    expect(await migrate()).toBe(0);
  });

  it('saves once, finds, and deletes only for the owner', async () => {
    dataSource = await createResponsesDataSource({ url: isolation.databaseUrl, poolSize: 2 }).initialize();
    const repository = new ResponseRepository(dataSource);
    const stored = { id: 'resp_1', owner: 'key:a', deploymentId: 'd', modelGroup: 'g', previousResponseId: null, status: 'completed', inputItems: [{ id: 'i' }], messages: [{ role: 'user', content: 'x' }], response: { id: 'resp_1' } };
    await repository.save(stored);
    await repository.save({ ...stored, status: 'other' });
    expect(await repository.find('resp_1')).toMatchObject({ status: 'completed', owner: 'key:a', messages: [{ role: 'user', content: 'x' }] });
    expect(await repository.delete('resp_1', 'key:b')).toBe(false);
    expect(await repository.delete('resp_1', 'key:a')).toBe(true);
    expect(await repository.find('resp_1')).toBeUndefined();
    // Deleted, not gone: the row stays with its deletion time; a second delete changes nothing.
    expect(await repository.delete('resp_1', 'key:a')).toBe(false);
    const row = await pool.query<{ deleted: boolean; created: boolean }>('SELECT deleted_at IS NOT NULL AS deleted, created_at IS NOT NULL AS created FROM responses WHERE id = $1', ['resp_1']);
    expect(row.rows[0]).toEqual({ deleted: true, created: true });
    await expect(repository.ping()).resolves.toBeUndefined();
  });
});
