import type { SwitchboardConfig } from '@switchboard/config';

export type RoutingStrategy =
  | 'simple-shuffle'
  | 'least-busy'
  | 'latency-based-routing'
  | 'usage-based-routing'
  | 'usage-based-routing-v2'
  | 'cost-based-routing';

/** LiteLLM's `retry_policy` keys: how many retries each error class gets. */
export type RetryPolicyKey =
  | 'BadRequestErrorRetries'
  | 'AuthenticationErrorRetries'
  | 'TimeoutErrorRetries'
  | 'RateLimitErrorRetries'
  | 'ContentPolicyViolationErrorRetries'
  | 'InternalServerErrorRetries'
  | 'ServiceUnavailableErrorRetries';

export type FallbackMap = ReadonlyMap<string, readonly string[]>;

export interface RouterSettings {
  routingStrategy: RoutingStrategy;
  numRetries: number;
  retryPolicy: Partial<Record<RetryPolicyKey, number>>;
  /** Failures within `allowedFailsWindowMs` that put a deployment into cooldown. */
  allowedFails: number;
  allowedFailsWindowMs: number;
  cooldownMs: number;
  /** Never retry sooner than this (LiteLLM's `retry_after`, seconds in the config). */
  minRetryDelayMs: number;
  maxRetryDelayMs: number;
  /** Share of requests that may be retries, over a 10 s window (plus a small floor). */
  retryBudgetRatio: number;
  fallbacks: FallbackMap;
  contextWindowFallbacks: FallbackMap;
  contentPolicyFallbacks: FallbackMap;
  defaultFallbacks: readonly string[];
}

function fallbackMap(entries: unknown): FallbackMap {
  const map = new Map<string, string[]>();
  if (!Array.isArray(entries)) return map;
  for (const entry of entries) {
    if (!entry || typeof entry !== 'object') continue;
    for (const [group, targets] of Object.entries(entry as Record<string, unknown>)) {
      if (Array.isArray(targets)) map.set(group, targets.filter((target): target is string => typeof target === 'string'));
    }
  }
  return map;
}

function seconds(value: unknown, fallback: number): number {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number >= 0 ? number * 1000 : fallback;
}

function count(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : fallback;
}

/** Router settings from `router_settings`, which override the overlapping `litellm_settings` (as in LiteLLM). */
export function routerSettingsFrom(config: Pick<SwitchboardConfig, 'routerSettings' | 'litellmSettings'>): RouterSettings {
  const merged: Record<string, unknown> = { ...config.litellmSettings, ...config.routerSettings };
  return {
    routingStrategy: (merged.routing_strategy as RoutingStrategy | undefined) ?? 'simple-shuffle',
    // 0 by default, as in LiteLLM: the official SDKs already retry twice, and stacked retry layers multiply load.
    numRetries: count(merged.num_retries, 0),
    retryPolicy: (merged.retry_policy as RouterSettings['retryPolicy'] | undefined) ?? {},
    allowedFails: count(merged.allowed_fails, 3),
    allowedFailsWindowMs: 60_000,
    cooldownMs: seconds(merged.cooldown_time, 5_000),
    minRetryDelayMs: seconds(merged.retry_after, 0),
    maxRetryDelayMs: 8_000,
    retryBudgetRatio: 0.2,
    fallbacks: fallbackMap(merged.fallbacks),
    contextWindowFallbacks: fallbackMap(merged.context_window_fallbacks),
    contentPolicyFallbacks: fallbackMap(merged.content_policy_fallbacks),
    defaultFallbacks: Array.isArray(merged.default_fallbacks) ? (merged.default_fallbacks as string[]) : [],
  };
}
