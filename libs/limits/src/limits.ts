/** The limits admission applies to one request, each named by what it belongs to and measures. */

/** `max_parallel_requests`: requests in flight per scope (`key:<id>:parallel` ...). */
export interface ParallelLimit {
  scope: string;
  limit: number;
}

/** `rpm_limit` and the like: requests per sliding window (`key:<id>:rpm`, `team:<id>:rpm` ...). */
export interface RateLimit {
  scope: string;
  limit: number;
  windowMs: number;
}

/**
 * `tpm_limit`: tokens per sliding window. A request is admitted while the window's total is under the
 * limit (as LiteLLM does: a request's own size is unknown until it ends); its real tokens count when it ends.
 */
export interface TokenLimit {
  scope: string;
  limit: number;
  windowMs: number;
}

/** One budget period: `[startMs, endMs)`; a budget that never resets has no end. */
export interface BudgetPeriod {
  startMs: number;
  endMs?: number;
}

export interface Budget {
  /** Stable name of what the budget belongs to: `global`, `key:<key id>`, `team:<id>` ... */
  scope: string;
  limitNanoUsd: number;
  /** The period containing an instant (`budget_duration` periods, or one endless period). */
  periodAt: (atMs: number) => BudgetPeriod;
  /** LiteLLM's comparison: keys are refused once spend reaches max (`>=`), the others once it exceeds it (`>`). */
  refuseWhen: 'reached' | 'exceeded';
  /** `soft_budget`: crossing it raises one alert per period (the request still goes through). */
  softLimitNanoUsd?: number;
}
