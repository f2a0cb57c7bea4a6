import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceUrls } from '@switchboard/testing';
import { AdmissionGate, BudgetSeedError } from './admission-gate';
import type { AdmissionGateOptions, AdmissionResult, Admitted, LedgerSpendSource } from './admission-gate';
import type { Budget, ParallelLimit, RateLimit, TokenLimit } from './limits';

describe('admission in Redis', () => {
  const prefix = `tlimits${randomBytes(4).toString('hex')}:`;
  let first: Redis;
  let second: Redis;

  beforeAll(() => {
    first = new Redis(serviceUrls().redisUrl);
    second = new Redis(serviceUrls().redisUrl);
  });

  afterAll(async () => {
    const keys = await first.keys(`${prefix}*`);
    if (keys.length > 0) await first.del(...keys);
    first.disconnect();
    second.disconnect();
  });

  const hour = 3_600_000;
  /** Hourly periods from the epoch, refused at spend >= limit (a key) unless `exceeded`. */
  const budget = (scope: string, limitNanoUsd: number, refuseWhen: Budget['refuseWhen'] = 'reached'): Budget => ({
    scope,
    limitNanoUsd,
    refuseWhen,
    periodAt: (at) => ({ startMs: Math.floor(at / hour) * hour, endMs: Math.floor(at / hour) * hour + hour }),
  });
  const emptyLedger: LedgerSpendSource = async () => 0;
  const admitted = (result: AdmissionResult) => (result.outcome === 'admitted' ? result : undefined);

  /** One instance's budget admission: the gate with budgets only. */
  class BudgetReservations {
    readonly gate: AdmissionGate;
    constructor(redis: Redis, keyPrefix: string, source: LedgerSpendSource, options?: AdmissionGateOptions) {
      this.gate = new AdmissionGate(redis, keyPrefix, source, options);
    }
    reserve(budgets: Budget[], amountNanoUsd: number, id: string, now?: number) {
      return this.gate.admit({ id, budgets, amountNanoUsd, now });
    }
    settle(reservation: Admitted, actualNanoUsd: number, now?: number) {
      return this.gate.settle(reservation, 0, actualNanoUsd, now);
    }
  }
  const gates = (options?: AdmissionGateOptions) => [new AdmissionGate(first, prefix, emptyLedger, options), new AdmissionGate(second, prefix, emptyLedger, options)];
  const consume = (gate: AdmissionGate, limit: RateLimit, id: string) => gate.admit({ id, requests: [limit] });
  const check = async (gate: AdmissionGate, limit: TokenLimit) => gate.admit({ id: 'check', tokens: [limit] });
  const record = async (gate: AdmissionGate, limit: TokenLimit, tokens: number, id: string) => {
    const taken = admitted(await gate.admit({ id, tokens: [limit] }));
    await gate.settle(taken!, tokens, 0);
  };
  const acquire = (gate: AdmissionGate, limit: ParallelLimit, id: string) => gate.admit({ id, parallel: [limit] });

  it('100 concurrent requests against a budget that admits 20: exactly 20 admitted, from two instances', async () => {
    const global = budget('global', 20_000);
    const instances = [new BudgetReservations(first, prefix, emptyLedger), new BudgetReservations(second, prefix, emptyLedger)];
    const results = await Promise.all(Array.from({ length: 100 }, (_, index) => instances[index % 2].reserve([global], 1_000, `r${index}`)));
    expect(results.filter((result) => result.outcome === 'admitted')).toHaveLength(20);
    expect(results.filter((result) => result.outcome === 'committed')).toHaveLength(80);
  });

  it('never refuses a request under budget for its estimate; refuses once the budget is committed, then once spend reaches it', async () => {
    const key = budget('key:abc', 10_000);
    const reservations = new BudgetReservations(first, prefix, emptyLedger);
    const a = admitted(await reservations.reserve([key], 8_000, 'a'));
    // 2,000 left and an 8,000 estimate: admitted all the same (the budget is now over-committed).
    const b = admitted(await reservations.reserve([key], 8_000, 'b'));
    expect(a && b).toBeTruthy();
    expect(await reservations.reserve([key], 1, 'c')).toMatchObject({ outcome: 'committed', index: 0, spentNanoUsd: 0, reservedNanoUsd: 16_000 });
    await reservations.settle(a!, 3_000);
    await reservations.settle(b!, 3_000);
    const d = admitted(await reservations.reserve([key], 7_000, 'd'));
    expect(d).toBeTruthy();
    expect(await reservations.settle(d!, 7_000)).toEqual([{ spentNanoUsd: 13_000, periodStart: expect.any(Number) }]);
    // Over by less than the last admitted request; refused from now on.
    expect(await reservations.reserve([key], 1, 'e')).toMatchObject({ outcome: 'exceeded', spentNanoUsd: 13_000, reservedNanoUsd: 0 });
  });

  it("LiteLLM's comparisons: a key is refused at spend == max, a user (or team, customer) only above it", async () => {
    const reservations = new BudgetReservations(first, prefix, async () => 1_000);
    expect(await reservations.reserve([budget('key:at-max', 1_000)], 10, 'k')).toMatchObject({ outcome: 'exceeded', spentNanoUsd: 1_000 });
    expect((await reservations.reserve([budget('user:at-max', 1_000, 'exceeded')], 10, 'u')).outcome).toBe('admitted');
    const zero = new BudgetReservations(first, prefix, emptyLedger);
    expect((await zero.reserve([budget('user:zero', 0, 'exceeded')], 10, 'z1')).outcome).toBe('admitted');
    expect((await zero.reserve([budget('user:zero', 0, 'exceeded')], 10, 'z2')).outcome).toBe('committed');
    expect((await zero.reserve([budget('key:zero', 0)], 10, 'k0')).outcome).toBe('exceeded');
  });

  it('releases a reservation that was never settled once it expires', async () => {
    const team = budget('team:t', 1_000);
    const reservations = new BudgetReservations(first, prefix, emptyLedger, { reservationTtlMs: 50 });
    expect((await reservations.reserve([team], 1_000, 'lost')).outcome).toBe('admitted');
    expect((await reservations.reserve([team], 1_000, 'blocked')).outcome).toBe('committed');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await reservations.reserve([team], 1_000, 'after')).outcome).toBe('admitted');
  });

  it('checks every budget that applies: one full budget refuses without touching the others', async () => {
    const reservations = new BudgetReservations(first, prefix, async (applied) => (applied.scope === 'team:multi' ? 500 : 0));
    const result = await reservations.reserve([budget('key:multi', 100_000), budget('team:multi', 500)], 1_000, 'm');
    expect(result).toMatchObject({ outcome: 'exceeded', index: 1 });
    expect((await reservations.reserve([budget('key:multi', 100_000)], 100_000, 'k')).outcome).toBe('admitted');
  });

  it('a missing counter is seeded from the ledger once per instance, however many requests wait for it', async () => {
    const asked: string[] = [];
    const ledger: LedgerSpendSource = async (applied, period) => {
      asked.push(`${applied.scope}@${period.startMs}`);
      await new Promise((resolve) => setTimeout(resolve, 30));
      return 4_500;
    };
    const instances = [new BudgetReservations(first, prefix, ledger), new BudgetReservations(second, prefix, ledger)];
    const key = budget('key:seeded', 5_000);
    const results = await Promise.all(Array.from({ length: 10 }, (_, index) => instances[index % 2].reserve([key], 1_000, `s${index}`)));
    expect(asked.length).toBeGreaterThanOrEqual(1);
    expect(asked.length).toBeLessThanOrEqual(2);
    // 4,500 recorded: one more request fits (500 left), the rest find the budget committed.
    expect(results.filter((result) => result.outcome === 'admitted')).toHaveLength(1);
  });

  it('after a Redis loss, a request that settles before the seed is counted once: the ledger sum leaves it out', async () => {
    const key = budget('key:lost', 10_000);
    const asks: Array<readonly string[]> = [];
    const reservations = new BudgetReservations(first, prefix, async (_applied, _period, excluded) => {
      asks.push(excluded);
      // The ledger already holds 3,000 for earlier requests, and 700 for `inflight` unless it is left out.
      return 3_000 + (excluded.includes('inflight') ? 0 : 700);
    });
    const inflight = admitted(await reservations.reserve([key], 1_000, 'inflight'));
    expect(asks).toEqual([[]]);
    const lost = await first.keys(`${prefix}budget:key:lost*`);
    await first.del(...lost);
    expect(await reservations.settle(inflight!, 700)).toEqual([{ spentNanoUsd: undefined, periodStart: expect.any(Number) }]);
    const next = admitted(await reservations.reserve([key], 1_000, 'next'));
    expect(asks[1]).toEqual(['inflight']);
    expect(await reservations.settle(next!, 0)).toEqual([{ spentNanoUsd: 3_700, periodStart: expect.any(Number) }]);
  });

  it('a request still in flight when its period is seeded is left out of the ledger sum and counted when it settles', async () => {
    const key = budget('key:rollover', 10_000);
    const reservations = new BudgetReservations(first, prefix, async (_applied, period, excluded) => (period.startMs === 0 ? 0 : excluded.includes('long') ? 100 : 600));
    const startOfHour = Math.floor(Date.now() / hour) * hour;
    const long = admitted(await reservations.reserve([key], 1_000, 'long', startOfHour - 10));
    // The next hour's counter is seeded while `long` runs; it ends there and counts there, as the ledger dates it.
    const other = admitted(await reservations.reserve([key], 1_000, 'other', startOfHour + 10));
    expect(await reservations.settle(long!, 500, startOfHour + 20)).toEqual([{ spentNanoUsd: 600, periodStart: startOfHour }]);
    expect(await reservations.settle(other!, 0, startOfHour + 30)).toEqual([{ spentNanoUsd: 600, periodStart: startOfHour }]);
  });

  it('a ledger that does not answer refuses with a seed error, and nothing is admitted', async () => {
    const reservations = new BudgetReservations(first, prefix, async () => {
      throw new Error('connection refused');
    });
    await expect(reservations.reserve([budget('key:unseeded', 10_000)], 1, 'x')).rejects.toBeInstanceOf(BudgetSeedError);
    expect(await first.exists(`${prefix}budget:key:unseeded:pending`)).toBe(0);
  });

  it('a limit of N per window holds across two instances, including a burst', async () => {
    const limit = { scope: 'key:rl:rpm', limit: 10, windowMs: 60_000 };
    const instances = gates();
    const results = await Promise.all(Array.from({ length: 30 }, (_, index) => consume(instances[index % 2], limit, `q${index}`)));
    expect(results.filter((result) => result.outcome === 'admitted')).toHaveLength(10);
    expect(results.find((result) => result.outcome !== 'admitted')).toMatchObject({ outcome: 'requests', limit });
    expect(results.map((result) => (result.outcome === 'admitted' ? result.requestsRemaining : 10)).sort((a, b) => a - b)).toEqual([...Array.from({ length: 10 }, (_, index) => index), ...Array(20).fill(10)]);
  });

  it('the window slides: room returns as old requests leave it, never more than N in any window', async () => {
    const limit = { scope: 'key:slide:rpm', limit: 5, windowMs: 300 };
    const [gate] = gates();
    const admittedAt: number[] = [];
    const deadline = Date.now() + 900;
    let index = 0;
    while (Date.now() < deadline) {
      const result = await consume(gate, limit, `s${index++}`);
      if (result.outcome === 'admitted') admittedAt.push(Date.now());
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    for (const start of admittedAt) {
      expect(admittedAt.filter((time) => time >= start && time < start + 250).length).toBeLessThanOrEqual(5);
    }
    expect(admittedAt.length).toBeGreaterThanOrEqual(10);
  });

  it('tokens per window: admits while under the limit, counts real tokens, frees them when the window passes', async () => {
    const limit = { scope: 'key:tpm', limit: 100, windowMs: 400 };
    const instances = gates();
    expect(await check(instances[0], limit)).toMatchObject({ outcome: 'admitted', tokensRemaining: 100 });
    await record(instances[0], limit, 60, 'r1');
    expect(await check(instances[1], limit)).toMatchObject({ outcome: 'admitted', tokensRemaining: 40 });
    await record(instances[1], limit, 50, 'r2');
    const refused = await check(instances[0], limit);
    expect(refused).toMatchObject({ outcome: 'tokens', limit });
    if (refused.outcome === 'tokens') expect(refused.retryAfterMs).toBeLessThanOrEqual(400);
    await expect.poll(async () => (await check(instances[0], limit)).outcome, { timeout: 2_000, interval: 25 }).toBe('admitted');
    expect(await check(instances[0], limit)).toMatchObject({ outcome: 'admitted', tokensRemaining: 100 });
  });

  it('parallel requests: at most N in flight across instances, a released slot is reusable', async () => {
    const limit = { scope: 'key:parallel', limit: 3 };
    const instances = gates();
    const results = await Promise.all(Array.from({ length: 20 }, (_, index) => acquire(instances[index % 2], limit, `p${index}`)));
    const taken = results.map(admitted).filter((result): result is Admitted => result !== undefined);
    expect(taken).toHaveLength(3);
    expect(await acquire(instances[0], limit, 'late')).toEqual({ outcome: 'parallel', limit });
    await instances[1].settle(taken[0], 0, 0);
    expect((await acquire(instances[0], limit, 'late')).outcome).toBe('admitted');
  });

  it('a parallel slot held by a vanished instance lapses after its lease', async () => {
    const limit = { scope: 'key:lease', limit: 1 };
    const [gate] = gates({ parallelLeaseMs: 200 });
    expect((await acquire(gate, limit, 'crashed')).outcome).toBe('admitted');
    expect((await acquire(gate, limit, 'next')).outcome).toBe('parallel');
    await expect.poll(async () => (await acquire(gate, limit, 'next')).outcome, { timeout: 2_000, interval: 25 }).toBe('admitted');
  });

  it('every limit at once in one round trip: the first that refuses takes nothing from the others', async () => {
    const parallel = { scope: 'key:all:parallel', limit: 3 };
    const requests = { scope: 'key:all:rpm', limit: 4, windowMs: 60_000 };
    const tokens = { scope: 'key:all:tpm', limit: 1_000, windowMs: 60_000 };
    const budgetOf = budget('key:all', 10_000);
    const [gate] = gates();
    const all = (id: string, amountNanoUsd = 1_000) => gate.admit({ id, parallel: [parallel], requests: [requests], tokens: [tokens], budgets: [budgetOf], amountNanoUsd });
    const a = admitted(await all('a'));
    expect(a).toMatchObject({ requestsRemaining: 3, tokensRemaining: 1_000 });
    const b = admitted(await all('b', 9_500));
    expect(b).toBeTruthy();
    // The budget is committed (10,500 reserved of 10,000): refused, and neither a parallel slot nor a request-window place is taken.
    expect(await all('c')).toMatchObject({ outcome: 'committed', index: 0, reservedNanoUsd: 10_500 });
    expect(await first.zcard(`${prefix}parallel:key:all:parallel`)).toBe(2);
    expect(await first.zcard(`${prefix}ratelimit:key:all:rpm`)).toBe(2);
    // b ends: its slot is back, its 400 tokens count, the budget has 2,000 spent and a's 1,000 reserved.
    await gate.settle(b!, 400, 2_000);
    expect(admitted(await all('d'))).toMatchObject({ requestsRemaining: 1, tokensRemaining: 600 });
    expect(admitted(await all('e'))).toMatchObject({ requestsRemaining: 0, tokensRemaining: 600 });
    expect(await all('f')).toEqual({ outcome: 'parallel', limit: parallel });
    expect(await gate.settle(a!, 100, 1_000)).toEqual([{ spentNanoUsd: 3_000, periodStart: expect.any(Number) }]);
    expect(await all('g')).toMatchObject({ outcome: 'requests', limit: requests });
    expect(await first.exists(`${prefix}parallel:key:all:parallel`)).toBe(1);
  });
});
