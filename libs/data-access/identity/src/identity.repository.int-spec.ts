import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation } from '@switchboard/testing';
import type { Isolation } from '@switchboard/testing';
import { createIdentityDataSource, identityMigrations, identityTables } from './index';
import type { IdentityTables } from './index';

describe('the identity tables through typed repositories (real Postgres)', () => {
  let isolation: Isolation;
  let dataSource: DataSource;
  let tables: IdentityTables;

  beforeAll(async () => {
    isolation = await createIsolation();
    const migrator = new DataSource({ type: 'postgres', url: isolation.databaseUrl, migrations: identityMigrations, migrationsTableName: 'switchboard_migrations' });
    await migrator.initialize();
    await migrator.runMigrations();
    await migrator.destroy();
    dataSource = await createIdentityDataSource({ url: isolation.databaseUrl, poolSize: 4 }).initialize();
    tables = identityTables(dataSource.manager);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await isolation?.cleanup();
  });

  it('inserts and returns the row as find reads it: defaults filled, timestamps as ISO strings, JSON and lists typed', async () => {
    const inserted = await tables.keys.insert({ token: 'hash-1', key_name: 'sk-...0001', models: ['a'], allowed_routes: [], tags: ['t'], limits: { max_budget: 2 }, metadata: { app: 'x' }, blocked: false, expires: '2030-01-01T00:00:00.000Z' });
    expect(inserted).toMatchObject({ token: 'hash-1', key_id: null, models: ['a'], limits: { max_budget: 2 }, metadata: { app: 'x' }, blocked: false, expires: '2030-01-01T00:00:00.000Z' });
    expect(inserted.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
    expect(await tables.keys.find('hash-1')).toEqual(inserted);
    expect(await tables.keys.find('nobody')).toBeUndefined();
  });

  it('updates only the given columns, stamps updated_at, ignores what is not a column, and answers undefined for no row', async () => {
    const before = await tables.keys.insert({ token: 'hash-2', key_name: 'sk-...0002', models: [], allowed_routes: [], tags: [], limits: {}, metadata: {}, blocked: false });
    const updated = await tables.keys.update('hash-2', { blocked: true, updated_by: 'tester', ...({ spend: 12 } as object) });
    expect(updated).toMatchObject({ token: 'hash-2', blocked: true, updated_by: 'tester', key_name: 'sk-...0002' });
    expect(updated?.created_at).toBe(before.created_at);
    expect(Date.parse(updated?.updated_at ?? '')).toBeGreaterThanOrEqual(Date.parse(before.updated_at));
    expect(await tables.keys.update('nobody', { blocked: true })).toBeUndefined();
  });

  it('filters by equality, null, membership, JSON containment and list membership; pages newest first with a total', async () => {
    for (const [index, teamId] of ['team-a', 'team-a', 'team-b', null].entries()) {
      await tables.keys.insert({ token: `page-${index}`, key_name: `sk-...p${index}`, team_id: teamId, models: [], allowed_routes: [], tags: index === 2 ? ['gold'] : [], limits: {}, metadata: {}, blocked: false });
    }
    expect((await tables.keys.findBy([{ column: 'team_id', op: 'eq', value: 'team-a' }])).map((row) => row.token)).toEqual(['page-0', 'page-1']);
    expect((await tables.keys.findBy([{ column: 'team_id', op: 'eq', value: null }, { column: 'token', op: 'in', value: ['page-3', 'page-2'] }])).map((row) => row.token)).toEqual(['page-3']);
    expect((await tables.keys.findBy([{ column: 'tags', op: 'has', value: 'gold' }])).map((row) => row.token)).toEqual(['page-2']);
    const page = await tables.keys.list([{ column: 'token', op: 'in', value: ['page-0', 'page-1', 'page-2', 'page-3'] }], { page: 2, size: 3 });
    expect(page.total).toBe(4);
    expect(page.rows.map((row) => row.token)).toEqual(['page-0']);
    await tables.teams.insert({ team_id: 'team-j', models: [], tags: [], limits: {}, metadata: {}, members_with_roles: [{ user_id: 'u-1', role: 'admin' }], blocked: false });
    expect((await tables.teams.findBy([{ column: 'members_with_roles', op: 'contains', value: [{ user_id: 'u-1' }] }])).map((row) => row.team_id)).toEqual(['team-j']);
    await expect(tables.keys.findBy([{ column: 'token; DROP TABLE identity_keys' as 'token', op: 'eq', value: 'x' }])).rejects.toThrow(/Unknown column/);
  });

  it('deletes returning the row, and rolls a failed transaction back whole', async () => {
    await tables.users.insert({ user_id: 'u-del', user_role: 'internal_user', models: [], limits: {}, metadata: {} });
    expect(await tables.users.delete('u-del')).toMatchObject({ user_id: 'u-del', user_role: 'internal_user' });
    expect(await tables.users.delete('u-del')).toBeUndefined();
    const failed = dataSource.transaction(async (manager) => {
      const inside = identityTables(manager);
      await inside.users.insert({ user_id: 'u-tx', user_role: 'internal_user', models: [], limits: {}, metadata: {} });
      await inside.users.insert({ user_id: 'u-tx', user_role: 'internal_user', models: [], limits: {}, metadata: {} });
    });
    await expect(failed).rejects.toThrow(/duplicate key/);
    expect(await tables.users.find('u-tx')).toBeUndefined();
  });
});
