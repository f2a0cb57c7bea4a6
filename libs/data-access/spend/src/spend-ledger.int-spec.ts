import pg from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation } from '@switchboard/testing';
import type { Isolation } from '@switchboard/testing';
import { SpendLedgerRepository, SpendPeriodRepository, spendMigrations } from './index';
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

  it('answers what a budget period recorded: whole days from the daily aggregates, the partial first day from the ledger, left-out requests excluded', async () => {
    const ledger = new SpendLedgerRepository(pool);
    const periods = new SpendPeriodRepository(pool);
    const at = (iso: string, messageId: string, cost: string, extra: Partial<LedgerEntry> = {}) =>
      ledger.record({ ...entry(messageId, cost), occurredAt: iso, keyHash: 'hash-new', keyId: 'key-stable', userId: 'user-p', teamId: 'team-p', ...extra });
    await at('2025-01-09T23:00:00.000Z', 'p-before', '1.000000000000');
    await at('2025-01-10T05:00:00.000Z', 'p-early', '0.100000000000');
    await at('2025-01-10T13:00:00.000Z', 'p-partial', '0.020000000000');
    await at('2025-01-11T01:00:00.000Z', 'p-day2', '0.003000000000', { modelGroup: 'other' });
    await at('2025-01-12T01:00:00.000Z', 'p-flight', '0.000400000000');
    const spent = (query: Partial<Parameters<SpendPeriodRepository['spentSince']>[0]>) =>
      periods.spentSince({ entity: 'key', id: 'key-stable', from: new Date('2025-01-10T12:00:00.000Z'), excludeRequestIds: [], statementTimeoutMs: 2_000, ...query });
    expect(await spent({})).toBe('0.023400000000');
    // The old key hash's rows count under the stable id too: the ledger keeps both.
    expect((await pool.query("SELECT count(*)::int AS count FROM spend_ledger WHERE key_id = 'key-stable' AND key_hash = 'hash-new'")).rows[0].count).toBe(5);
    expect(await spent({ excludeRequestIds: ['p-flight', 'p-partial'] })).toBe('0.003000000000');
    expect(await spent({ modelGroup: 'other' })).toBe('0.003000000000');
    expect(await spent({ entity: 'team', id: 'team-p', from: new Date('2025-01-10T00:00:00.000Z') })).toBe('0.123400000000');
    expect(await spent({ entity: 'user', id: 'user-p', from: new Date(0) })).toBe('1.123400000000');
    expect(Number(await spent({ entity: 'all', id: undefined, from: new Date('2025-01-11T00:00:00.000Z') }))).toBeGreaterThanOrEqual(0.0034);
    // Ledger rows of a partial day older than retention may be gone: the whole day counts (never less than was spent).
    expect(await spent({ retentionCutoff: new Date('2025-01-11T00:00:00.000Z') })).toBe('0.123400000000');
  });
});
