import type { Redis } from 'ioredis';

/**
 * Tokens-per-window limits (`tpm_limit`), exact across gateway instances: each scope keeps a
 * sorted set of `request|tokens` members scored by Redis time and a running total. A request is
 * admitted while the window's total is under the limit (as LiteLLM does: a request's own size is
 * unknown until it ends); its real tokens are recorded when it ends.
 */
const checkScript = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
for i = 1, #KEYS do
  local window = tonumber(ARGV[i * 2])
  local limit = tonumber(ARGV[i * 2 - 1])
  local total_key = KEYS[i] .. ':total'
  local expired = redis.call('ZRANGEBYSCORE', KEYS[i], '-inf', now - window)
  for _, member in ipairs(expired) do
    local separator = string.find(member, '|', 1, true)
    redis.call('DECRBY', total_key, tonumber(string.sub(member, separator + 1)))
    redis.call('ZREM', KEYS[i], member)
  end
  local used = tonumber(redis.call('GET', total_key) or '0')
  if used >= limit then
    local oldest = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
    local retry = window
    if oldest[2] then retry = tonumber(oldest[2]) + window - now end
    return {0, i, used, retry}
  end
end
local remaining = -1
for i = 1, #KEYS do
  local left = tonumber(ARGV[i * 2 - 1]) - tonumber(redis.call('GET', KEYS[i] .. ':total') or '0')
  if remaining < 0 or left < remaining then remaining = left end
end
return {1, 0, remaining, 0}
`;

const recordScript = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local tokens = tonumber(ARGV[1])
for i = 1, #KEYS do
  local window = tonumber(ARGV[1 + i])
  redis.call('ZADD', KEYS[i], now, ARGV[#KEYS + 2] .. '|' .. tokens)
  redis.call('INCRBY', KEYS[i] .. ':total', tokens)
  redis.call('PEXPIRE', KEYS[i], window)
  redis.call('PEXPIRE', KEYS[i] .. ':total', window)
end
return 1
`;

export interface TokenLimit {
  /** `key:<hash>:tpm`, `team:<id>:tpm`, ... */
  scope: string;
  limit: number;
  windowMs: number;
}

export type TokenLimitResult = { allowed: true; remaining: number } | { allowed: false; scope: string; limit: number; retryAfterMs: number };

export class TokenWindowLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  private keyOf(limit: TokenLimit): string {
    return `${this.keyPrefix}tokens:${limit.scope}`;
  }

  async check(limits: readonly TokenLimit[]): Promise<TokenLimitResult> {
    if (limits.length === 0) return { allowed: true, remaining: -1 };
    const args = limits.flatMap((limit) => [String(limit.limit), String(limit.windowMs)]);
    const result = (await this.redis.eval(checkScript, limits.length, ...limits.map((limit) => this.keyOf(limit)), ...args)) as number[];
    if (result[0] === 1) return { allowed: true, remaining: Math.max(0, result[2]) };
    const limit = limits[result[1] - 1];
    return { allowed: false, scope: limit.scope, limit: limit.limit, retryAfterMs: Math.max(1, result[3]) };
  }

  async record(limits: readonly TokenLimit[], tokens: number, requestId: string): Promise<void> {
    if (limits.length === 0 || tokens <= 0) return;
    await this.redis.eval(recordScript, limits.length, ...limits.map((limit) => this.keyOf(limit)), String(Math.round(tokens)), ...limits.map((limit) => String(limit.windowMs)), requestId);
  }
}
