import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceUrls } from '@switchboard/testing';
import { BudgetReservations } from './budget-reservations';
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

  it('100 concurrent requests against a budget that admits 20: exactly 20 admitted, from two instances', async () => {
    const budget = { scope: 'global', limitNanoUsd: 20_000, periodMs: 3_600_000 };
    const instances = [new BudgetReservations(first, prefix), new BudgetReservations(second, prefix)];
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, index) => instances[index % 2].reserve([budget], 1_000, `r${index}`)),
    );
    expect(results.filter((result) => result.admitted)).toHaveLength(20);
  });

  it('settles the real cost, frees the rest of the reservation, and refuses once spent', async () => {
    const budget = { scope: 'key:abc', limitNanoUsd: 10_000, periodMs: 3_600_000 };
    const reservations = new BudgetReservations(first, prefix);
    const reserved = await reservations.reserve([budget], 8_000, 'a');
    expect(reserved.admitted).toBe(true);
    expect((await reservations.reserve([budget], 8_000, 'b')).admitted).toBe(false);
    if (reserved.admitted) await reservations.settle(reserved.reservation, 3_000);
    const next = await reservations.reserve([budget], 7_000, 'c');
    expect(next.admitted).toBe(true);
    if (next.admitted) await reservations.settle(next.reservation, 7_000);
    const refused = await reservations.reserve([budget], 1, 'd');
    expect(refused).toMatchObject({ admitted: false, scope: 'key:abc', spentNanoUsd: 10_000 });
  });

  it('releases a reservation that was never settled once it expires', async () => {
    const budget = { scope: 'team:t', limitNanoUsd: 1_000, periodMs: 3_600_000 };
    const reservations = new BudgetReservations(first, prefix, 50);
    expect((await reservations.reserve([budget], 1_000, 'lost')).admitted).toBe(true);
    expect((await reservations.reserve([budget], 1_000, 'blocked')).admitted).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await reservations.reserve([budget], 1_000, 'after')).admitted).toBe(true);
  });

  it('checks every budget that applies: one full budget refuses without touching the others', async () => {
    const reservations = new BudgetReservations(first, prefix);
    const key = { scope: 'key:multi', limitNanoUsd: 100_000, periodMs: 3_600_000 };
    const team = { scope: 'team:multi', limitNanoUsd: 500, periodMs: 3_600_000 };
    const result = await reservations.reserve([key, team], 1_000, 'm');
    expect(result).toMatchObject({ admitted: false, scope: 'team:multi' });
    expect((await reservations.reserve([key], 100_000, 'k')).admitted).toBe(true);
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

