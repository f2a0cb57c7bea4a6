import type { RateLimit } from '@switchboard/limits';

export type LocalWindowResult = { allowed: true; remaining: number } | { allowed: false; limit: RateLimit; retryAfterMs: number };

/**
 * The per-instance fallback for request-rate limits while Redis is unreachable: a sliding window
 * in memory, each limit divided by the number of gateway instances, so the fleet stays near the
 * global limit without coordination.
 */
export class LocalWindowLimiter {
  private readonly windows = new Map<string, number[]>();

  consume(limits: readonly RateLimit[], instances: number, now = Date.now()): LocalWindowResult {
    let remaining = Infinity;
    for (const limit of limits) {
      const share = Math.max(1, Math.floor(limit.limit / Math.max(1, instances)));
      const window = (this.windows.get(limit.scope) ?? []).filter((time) => time > now - limit.windowMs);
      this.windows.set(limit.scope, window);
      if (window.length >= share) return { allowed: false, limit, retryAfterMs: Math.max(1, window[0] + limit.windowMs - now) };
      remaining = Math.min(remaining, share - window.length - 1);
    }
    for (const limit of limits) this.windows.get(limit.scope)?.push(now);
    return { allowed: true, remaining: remaining === Infinity ? -1 : remaining };
  }
}
