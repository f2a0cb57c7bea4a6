import type { Redis } from 'ioredis';

/**
 * Requests-per-window limits, exact across any number of gateway instances: a sliding window log
 * (sorted set of request timestamps) per limit, all checked and consumed in one Lua call using
 * Redis's own clock, so instances' clocks do not matter.
 */
const script = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local member = ARGV[1]
local limits = #KEYS
for i = 1, limits do
  local window = tonumber(ARGV[1 + i * 2])
  local limit = tonumber(ARGV[i * 2])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  local count = redis.call('ZCARD', KEYS[i])
  if count >= limit then
    local oldest = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
    local retry = window
    if oldest[2] then retry = tonumber(oldest[2]) + window - now end
    return {0, i, count, retry}
  end
end
for i = 1, limits do
  local window = tonumber(ARGV[1 + i * 2])
  redis.call('ZADD', KEYS[i], now, member)
  redis.call('PEXPIRE', KEYS[i], window)
end
local remaining = -1
for i = 1, limits do
  local left = tonumber(ARGV[i * 2]) - redis.call('ZCARD', KEYS[i])
  if remaining < 0 or left < remaining then remaining = left end
end
return {1, 0, remaining, 0}
`;

export interface RateLimit {
  /** What the limit belongs to and measures: `key:<hash>:rpm`, `team:<id>:rpm` ... */
  scope: string;
  limit: number;
  windowMs: number;
}

export type RateLimitResult =
  | { allowed: true; remaining: number }
  | { allowed: false; scope: string; limit: number; retryAfterMs: number };

export class SlidingWindowLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  async consume(limits: readonly RateLimit[], requestId: string): Promise<RateLimitResult> {
    if (limits.length === 0) return { allowed: true, remaining: -1 };
    const keys = limits.map((limit) => `${this.keyPrefix}ratelimit:${limit.scope}`);
    const args = limits.flatMap((limit) => [String(limit.limit), String(limit.windowMs)]);
    const result = (await this.redis.eval(script, keys.length, ...keys, requestId, ...args)) as number[];
    if (result[0] === 1) return { allowed: true, remaining: result[2] };
    const limit = limits[result[1] - 1];
    return { allowed: false, scope: limit.scope, limit: limit.limit, retryAfterMs: Math.max(1, result[3]) };
  }
}
