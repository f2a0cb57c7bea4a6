import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceUrls } from '@switchboard/testing';
import { BudgetReservations, BudgetSeedError } from './budget-reservations';
import type { Budget, LedgerSpendSource, ReserveResult } from './budget-reservations';
import { SlidingWindowLimiter } from './sliding-window-limiter';
import { TokenWindowLimiter } from './token-window-limiter';
import { ParallelRequestLimiter } from './parallel-request-limiter';

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
  const admitted = (result: ReserveResult) => (result.outcome === 'admitted' ? result.reservation : undefined);

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
    const limiters = [new SlidingWindowLimiter(first, prefix), new SlidingWindowLimiter(second, prefix)];
    const results = await Promise.all(Array.from({ length: 30 }, (_, index) => limiters[index % 2].consume([limit], `q${index}`)));
    expect(results.filter((result) => result.allowed)).toHaveLength(10);
    const refused = results.find((result) => !result.allowed);
    expect(refused).toMatchObject({ allowed: false, scope: 'key:rl:rpm', limit: 10 });
  });

  it('the window slides: room returns as old requests leave it, never more than N in any window', async () => {
    const limit = { scope: 'key:slide:rpm', limit: 5, windowMs: 300 };
    const limiter = new SlidingWindowLimiter(first, prefix);
    const admitted: number[] = [];
    const deadline = Date.now() + 900;
    let index = 0;
    while (Date.now() < deadline) {
      const result = await limiter.consume([limit], `s${index++}`);
      if (result.allowed) admitted.push(Date.now());
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    for (const start of admitted) {
      expect(admitted.filter((time) => time >= start && time < start + 250).length).toBeLessThanOrEqual(5);
    }
    expect(admitted.length).toBeGreaterThanOrEqual(10);
  });

  it('tokens per window: admits while under the limit, counts real tokens, frees them when the window passes', async () => {
    const limit = { scope: 'key:tpm', limit: 100, windowMs: 400 };
    const limiters = [new TokenWindowLimiter(first, prefix), new TokenWindowLimiter(second, prefix)];
    expect(await limiters[0].check([limit])).toEqual({ allowed: true, remaining: 100 });
    await limiters[0].record([limit], 60, 'r1');
    expect(await limiters[1].check([limit])).toEqual({ allowed: true, remaining: 40 });
    await limiters[1].record([limit], 50, 'r2');
    const refused = await limiters[0].check([limit]);
    expect(refused).toMatchObject({ allowed: false, scope: 'key:tpm', limit: 100 });
    if (!refused.allowed) expect(refused.retryAfterMs).toBeLessThanOrEqual(400);
    const deadline = Date.now() + 2_000;
    while (!(await limiters[0].check([limit])).allowed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(await limiters[0].check([limit])).toEqual({ allowed: true, remaining: 100 });
  });

  it('parallel requests: at most N in flight across instances, a released slot is reusable', async () => {
    const limit = { scope: 'key:parallel', limit: 3 };
    const limiters = [new ParallelRequestLimiter(first, prefix), new ParallelRequestLimiter(second, prefix)];
    const results = await Promise.all(Array.from({ length: 20 }, (_, index) => limiters[index % 2].acquire([limit], `p${index}`)));
    const acquired = results.map((result, index) => (result.acquired ? `p${index}` : undefined)).filter((id): id is string => id !== undefined);
    expect(acquired).toHaveLength(3);
    expect((await limiters[0].acquire([limit], 'late')).acquired).toBe(false);
    await limiters[1].release([limit], acquired[0]);
    expect((await limiters[0].acquire([limit], 'late')).acquired).toBe(true);
  });

  it('a parallel slot held by a vanished instance lapses after its lease', async () => {
    const limit = { scope: 'key:lease', limit: 1 };
    const limiter = new ParallelRequestLimiter(first, prefix, 200);
    expect((await limiter.acquire([limit], 'crashed')).acquired).toBe(true);
    expect((await limiter.acquire([limit], 'next')).acquired).toBe(false);
    const deadline = Date.now() + 2_000;
    while (!(await limiter.acquire([limit], 'next')).acquired && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(Date.now()).toBeLessThan(deadline);
  });
});

