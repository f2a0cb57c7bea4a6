import pg from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation } from '@switchboard/testing';
import type { Isolation } from '@switchboard/testing';
import { SpendLedgerRepository, SpendPeriodRepository, SpendReportRepository, createSpendDataSource, spendMigrations } from './index';
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
  let dataSource: DataSource;

  beforeAll(async () => {
    isolation = await createIsolation();
    const migrator = new DataSource({ type: 'postgres', url: isolation.databaseUrl, migrations: spendMigrations, migrationsTableName: 'switchboard_migrations' });
    await migrator.initialize();
    await migrator.runMigrations();
    await migrator.destroy();
    pool = new pg.Pool({ connectionString: isolation.databaseUrl, max: 2 });
    dataSource = await createSpendDataSource({ url: isolation.databaseUrl, poolSize: 8 }).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await pool?.end();
    await isolation?.cleanup();
  });

  it('charges an event delivered three times once, totals exact to the last digit', async () => {
    const ledger = new SpendLedgerRepository(dataSource);
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
    const ledger = new SpendLedgerRepository(dataSource);
    await Promise.all(Array.from({ length: 50 }, (_, index) => ledger.record({ ...entry(`c-${index}`, '0.000123000000'), keyHash: 'key-c', teamId: 'team-c' })));
    const sum = await pool.query("SELECT sum(cost)::text AS sum FROM spend_ledger WHERE key_hash = 'key-c'");
    expect((await ledger.totalFor('key', 'key-c'))?.spend).toBe(sum.rows[0].sum);
    expect(sum.rows[0].sum).toBe('0.006150000000');
  });

  it('answers what a budget period recorded: whole days from the daily aggregates, the partial first day from the ledger, left-out requests excluded', async () => {
    const ledger = new SpendLedgerRepository(dataSource);
    const periods = new SpendPeriodRepository(dataSource);
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

  it('answers the spend reports from typed queries: logs with filters, per model, per key alias, per tag, daily, totals', async () => {
    const ledger = new SpendLedgerRepository(dataSource);
    const reports = new SpendReportRepository(dataSource);
    const at = (iso: string, messageId: string, cost: string, extra: Partial<LedgerEntry> = {}) =>
      ledger.record({ ...entry(messageId, cost), occurredAt: iso, keyHash: 'hash-r', keyId: 'key-r', keyAlias: 'reports', userId: 'user-r', teamId: 'team-r', tags: ['r-tag'], modelGroup: 'r-model', ...extra });
    await at('2025-03-01T10:00:00.000Z', 'r-1', '0.000001000001', { responseId: 'resp_r1', messages: [{ role: 'user', content: 'hi' }], response: 'hello' });
    await at('2025-03-01T11:00:00.000Z', 'r-2', '0.000002000000', { status: 'failure', errorCode: 'rate_limited', tags: ['r-tag', 'other'] });
    await at('2025-03-02T09:00:00.000Z', 'r-3', '0.000003000000', { modelGroup: 'r-model-2', customerId: 'acme' });

    const byResponse = await reports.logs({ requestId: 'resp_r1', limit: 10 }, 2_000);
    expect(byResponse).toHaveLength(1);
    expect(byResponse[0]).toMatchObject({ requestId: 'r-1', cost: '0.000001000001', messages: [{ role: 'user', content: 'hi' }], response: 'hello', tags: ['r-tag'] });
    expect(byResponse[0].occurredAt).toBeInstanceOf(Date);
    const filtered = await reports.logs({ keyHash: 'hash-r', startDate: new Date('2025-03-01T10:30:00.000Z'), endDate: new Date('2025-03-03T00:00:00.000Z'), limit: 10 }, 2_000);
    expect(filtered.map((row) => row.requestId)).toEqual(['r-3', 'r-2']);
    expect((await reports.logs({ tag: 'other', limit: 10 }, 2_000)).map((row) => row.requestId)).toEqual(['r-2']);
    expect((await reports.logs({ userId: 'user-r', status: 'failure', limit: 10 }, 2_000)).map((row) => row.requestId)).toEqual(['r-2']);
    expect(await reports.logs({ userId: 'user-r', limit: 1 }, 2_000)).toHaveLength(1);

    expect((await reports.byModel(2_000)).find((row) => row.model === 'r-model')).toEqual({ model: 'r-model', totalSpend: '0.000003000001', requests: 2, promptTokens: 20, completionTokens: 10 });
    expect((await reports.byKeyAlias(2_000)).find((row) => row.keyAlias === 'reports')).toEqual({ keyAlias: 'reports', totalSpend: '0.000006000001', requests: 3 });
    expect(await reports.byTag('2025-03-01', '2025-03-01', 2_000)).toEqual([
      { tag: 'r-tag', spend: '0.000003000001', requests: 2 },
      { tag: 'other', spend: '0.000002000000', requests: 1 },
    ]);
    expect(await reports.daily('team', '2025-03-01', '2025-03-02', 2_000)).toEqual([
      { day: '2025-03-01', entityId: 'team-r', modelGroup: 'r-model', spend: '0.000003000001', requests: 2, failedRequests: 1, promptTokens: 20, completionTokens: 10 },
      { day: '2025-03-02', entityId: 'team-r', modelGroup: 'r-model-2', spend: '0.000003000000', requests: 1, failedRequests: 0, promptTokens: 10, completionTokens: 5 },
    ]);
    const totals = await reports.totals(
      [
        { type: 'key', id: 'key-r' },
        { type: 'customer', id: 'acme' },
        { type: 'team', id: 'nobody' },
      ],
      2_000,
    );
    expect(totals.map((total) => [total.entityType, total.entityId, total.spend, total.requests]).sort()).toEqual([
      ['customer', 'acme', '0.000003000000', 1],
      ['key', 'key-r', '0.000006000001', 3],
    ]);
  });

  it('bounds a report by its statement timeout', async () => {
    const reports = new SpendReportRepository(dataSource);
    const locker = await pool.connect();
    try {
      // Hold a lock the report must wait for: the bound ends the wait, not the caller.
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE spend_totals IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      await expect(reports.totals([{ type: 'key', id: 'key-r' }], 200)).rejects.toThrow(/statement timeout/);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await locker.query('ROLLBACK');
      locker.release();
    }
  });
});
