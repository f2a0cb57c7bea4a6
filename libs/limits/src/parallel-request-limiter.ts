import type { Redis } from 'ioredis';

/**
 * `max_parallel_requests`: requests in flight per scope, across gateway instances. Each scope is a
 * sorted set of request ids scored by when their slot lapses, so a slot held by an instance that
 * died is freed after `leaseMs` instead of leaking.
 */
const acquireScript = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local lease = tonumber(ARGV[1])
local member = ARGV[2]
for i = 1, #KEYS do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
  if redis.call('ZCARD', KEYS[i]) >= tonumber(ARGV[2 + i]) then return {0, i} end
end
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], now + lease, member)
  redis.call('PEXPIRE', KEYS[i], lease)
end
return {1, 0}
`;

export interface ParallelLimit {
  scope: string;
  limit: number;
}

export type ParallelResult = { acquired: true } | { acquired: false; scope: string; limit: number };

export class ParallelRequestLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly leaseMs = 600_000,
  ) {}

  private keyOf(limit: ParallelLimit): string {
    return `${this.keyPrefix}parallel:${limit.scope}`;
  }

  async acquire(limits: readonly ParallelLimit[], requestId: string): Promise<ParallelResult> {
    if (limits.length === 0) return { acquired: true };
    const result = (await this.redis.eval(acquireScript, limits.length, ...limits.map((limit) => this.keyOf(limit)), String(this.leaseMs), requestId, ...limits.map((limit) => String(limit.limit)))) as number[];
    if (result[0] === 1) return { acquired: true };
    const limit = limits[result[1] - 1];
    return { acquired: false, scope: limit.scope, limit: limit.limit };
  }

  async release(limits: readonly ParallelLimit[], requestId: string): Promise<void> {
    if (limits.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const limit of limits) pipeline.zrem(this.keyOf(limit), requestId);
    await pipeline.exec();
  }
}
