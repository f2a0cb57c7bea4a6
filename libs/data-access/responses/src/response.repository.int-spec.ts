import pg from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation } from '@switchboard/testing';
import type { Isolation } from '@switchboard/testing';
import { ResponseRepository, responsesMigrations } from './index';

describe('stored responses in Postgres', () => {
  let isolation: Isolation;
  let pool: pg.Pool;

  const migrate = async () => {
    const dataSource = new DataSource({ type: 'postgres', url: isolation.databaseUrl, migrations: responsesMigrations, migrationsTableName: 'switchboard_migrations' });
    await dataSource.initialize();
    const applied = await dataSource.runMigrations();
    await dataSource.destroy();
    return applied.length;
  };

  beforeAll(async () => {
    isolation = await createIsolation({ emptyDatabase: true });
    pool = new pg.Pool({ connectionString: isolation.databaseUrl });
  });

  afterAll(async () => {
    await pool?.end();
    await isolation?.cleanup();
  });

  it('migrations apply to an empty database and are idempotent', async () => {
    expect(await migrate()).toBe(1);
    expect(await migrate()).toBe(0);
  });

  it('saves once, finds, and deletes only for the owner', async () => {
    const repository = new ResponseRepository(pool);
    const stored = { id: 'resp_1', owner: 'key:a', deploymentId: 'd', modelGroup: 'g', previousResponseId: null, status: 'completed', inputItems: [{ id: 'i' }], messages: [{ role: 'user', content: 'x' }], response: { id: 'resp_1' } };
    await repository.save(stored);
    await repository.save({ ...stored, status: 'other' });
    expect(await repository.find('resp_1')).toMatchObject({ status: 'completed', owner: 'key:a', messages: [{ role: 'user', content: 'x' }] });
    expect(await repository.delete('resp_1', 'key:b')).toBe(false);
    expect(await repository.delete('resp_1', 'key:a')).toBe(true);
    expect(await repository.find('resp_1')).toBeUndefined();
  });
});
