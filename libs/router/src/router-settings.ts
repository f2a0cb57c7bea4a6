import type { SwitchboardConfig } from '@switchboard/config';
import { modelGroupAliases } from './model-groups';
import type { ModelGroupAlias } from './model-groups';

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

/** LiteLLM's `allowed_fails_policy` keys: failures of each error class before a cooldown. */
export type AllowedFailsPolicyKey =
  | 'BadRequestErrorAllowedFails'
  | 'AuthenticationErrorAllowedFails'
  | 'TimeoutErrorAllowedFails'
  | 'RateLimitErrorAllowedFails'
  | 'ContentPolicyViolationErrorAllowedFails'
  | 'InternalServerErrorAllowedFails'
  | 'ServiceUnavailableErrorAllowedFails';

export type FallbackMap = ReadonlyMap<string, readonly string[]>;

export interface RouterSettings {
  routingStrategy: RoutingStrategy;
  numRetries: number;
  retryPolicy: Partial<Record<RetryPolicyKey, number>>;
  /** Failures within `allowedFailsWindowMs` that put a deployment into cooldown. */
  allowedFails: number;
  allowedFailsPolicy: Partial<Record<AllowedFailsPolicyKey, number>>;
  allowedFailsWindowMs: number;
  cooldownMs: number;
  /** `disable_cooldowns`: failures never rest a deployment. */
  disableCooldowns: boolean;
  /** Never retry sooner than this (LiteLLM's `retry_after`, seconds in the config). */
  minRetryDelayMs: number;
  maxRetryDelayMs: number;
  /** Share of requests that may be retries, over a 10 s window (plus a small floor). */
  retryBudgetRatio: number;
  fallbacks: FallbackMap;
  contextWindowFallbacks: FallbackMap;
  contentPolicyFallbacks: FallbackMap;
  defaultFallbacks: readonly string[];
  /** Most fallback groups one request tries (`max_fallbacks`, default 5). */
  maxFallbacks: number;
  /** The context-window pre-check (`enable_pre_call_checks`); on unless set to false. */
  enablePreCallChecks: boolean;
  /** `enable_tag_filtering`: request tags pick deployments; off, tags only label spend. */
  enableTagFiltering: boolean;
  /** `tag_filtering_match_any`: any shared tag matches (true), or every request tag must (false). */
  tagFilteringMatchAny: boolean;
  /** In-flight requests per deployment when it sets no `max_parallel_requests` (`default_max_parallel_requests`). */
  defaultMaxParallelRequests?: number;
  /** `model_group_alias`. */
  modelGroupAlias: ReadonlyMap<string, ModelGroupAlias>;
  /** `default_litellm_params`: request parameters every deployment applies when the request leaves them out. */
  defaultRequestParams: Readonly<Record<string, unknown>>;
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
export function routerSettingsFrom(config: Pick<SwitchboardConfig, 'routerSettings' | 'litellmSettings'> & { generalSettings?: Readonly<Record<string, unknown>> }): RouterSettings {
  const merged: Record<string, unknown> = { ...config.litellmSettings, ...config.routerSettings };
  const defaultParallel = merged.default_max_parallel_requests ?? config.generalSettings?.max_parallel_requests;
  return {
    routingStrategy: (merged.routing_strategy as RoutingStrategy | undefined) ?? 'simple-shuffle',
    // 0 by default, as in LiteLLM: the official SDKs already retry twice, and stacked retry layers multiply load.
    numRetries: count(merged.num_retries, 0),
    retryPolicy: (merged.retry_policy as RouterSettings['retryPolicy'] | undefined) ?? {},
    allowedFails: count(merged.allowed_fails, 3),
    allowedFailsPolicy: (merged.allowed_fails_policy as RouterSettings['allowedFailsPolicy'] | undefined) ?? {},
    allowedFailsWindowMs: 60_000,
    cooldownMs: seconds(merged.cooldown_time, 5_000),
    disableCooldowns: merged.disable_cooldowns === true,
    minRetryDelayMs: seconds(merged.retry_after, 0),
    maxRetryDelayMs: 8_000,
    retryBudgetRatio: 0.2,
    fallbacks: fallbackMap(merged.fallbacks),
    contextWindowFallbacks: fallbackMap(merged.context_window_fallbacks),
    contentPolicyFallbacks: fallbackMap(merged.content_policy_fallbacks),
    defaultFallbacks: Array.isArray(merged.default_fallbacks) ? (merged.default_fallbacks as string[]) : [],
    maxFallbacks: count(merged.max_fallbacks, 5),
    enablePreCallChecks: merged.enable_pre_call_checks !== false,
    enableTagFiltering: merged.enable_tag_filtering === true,
    tagFilteringMatchAny: merged.tag_filtering_match_any !== false,
    defaultMaxParallelRequests: typeof defaultParallel === 'number' ? defaultParallel : undefined,
    modelGroupAlias: modelGroupAliases(merged.model_group_alias),
    defaultRequestParams: (merged.default_litellm_params as Record<string, unknown> | undefined) ?? {},
  };
}
