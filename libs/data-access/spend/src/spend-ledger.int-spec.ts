import pg from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation } from '@switchboard/testing';
import type { Isolation } from '@switchboard/testing';
import { SpendLedgerRepository, spendMigrations } from './index';
import type { LedgerEntry } from './index';

const entry = (messageId: string, cost: string): LedgerEntry => ({
  messageId,
  requestId: messageId,
  occurredAt: new Date().toISOString(),
  callType: 'chat',
  status: 'success',
  keyHash: 'key-1',
  keyAlias: 'alias',
  teamId: 'team-1',
  tags: ['prod'],
  modelGroup: 'gpt',
  deploymentId: 'd1',
  provider: 'openai',
  upstreamModel: 'gpt-4o',
  promptTokens: 10,
  completionTokens: 5,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  cost,
  priceSource: 'catalogue',
  priceMissing: false,
  usageEstimated: false,
  latencyMs: 12,
  attempt: 1,
});

describe('the spend ledger', () => {
  let isolation: Isolation;
  let pool: pg.Pool;

  beforeAll(async () => {
    isolation = await createIsolation();
    const dataSource = new DataSource({ type: 'postgres', url: isolation.databaseUrl, migrations: spendMigrations, migrationsTableName: 'switchboard_migrations' });
    await dataSource.initialize();
    await dataSource.runMigrations();
    await dataSource.destroy();
    pool = new pg.Pool({ connectionString: isolation.databaseUrl, max: 8 });
  });

  afterAll(async () => {
    await pool?.end();
    await isolation?.cleanup();
  });

  it('charges an event delivered three times once, totals exact to the last digit', async () => {
    const ledger = new SpendLedgerRepository(pool);
    const results = await Promise.all([1, 2, 3].map(() => ledger.record(entry('req-a', '0.000000000001'))));
    expect(results.filter(Boolean)).toHaveLength(1);
    await ledger.record(entry('req-b', '0.100000000002'));
    expect(await ledger.totalFor('key', 'key-1')).toEqual({ spend: '0.100000000003', requests: 2 });
    expect(await ledger.totalFor('team', 'team-1')).toEqual({ spend: '0.100000000003', requests: 2 });
    expect(await ledger.totalFor('tag', 'prod')).toMatchObject({ requests: 2 });
    const rows = await pool.query('SELECT count(*)::int AS count FROM spend_ledger');
    expect(rows.rows[0].count).toBe(2);
  });

  it('keeps totals equal to the sum of the ledger under concurrent writers', async () => {
    const ledger = new SpendLedgerRepository(pool);
    await Promise.all(Array.from({ length: 50 }, (_, index) => ledger.record({ ...entry(`c-${index}`, '0.000123000000'), keyHash: 'key-c', teamId: 'team-c' })));
    const sum = await pool.query("SELECT sum(cost)::text AS sum FROM spend_ledger WHERE key_hash = 'key-c'");
    expect((await ledger.totalFor('key', 'key-c'))?.spend).toBe(sum.rows[0].sum);
    expect(sum.rows[0].sum).toBe('0.006150000000');
  });
});
