import { parseDuration } from '@switchboard/identity';

/**
 * Pure comparisons behind "within its creator's" and "may only tighten": does one value of a
 * LiteLLM limit field allow more than another? Unset (`null` / missing) allows everything. Rate
 * limits of 0 allow everything too, because admission skips them (a 0 budget is a real budget).
 */

export const scalarLimitNames = ['max_budget', 'soft_budget', 'tpm_limit', 'rpm_limit', 'max_parallel_requests'] as const;
export const modelLimitNames = ['model_max_budget', 'model_rpm_limit', 'model_tpm_limit'] as const;
export const guardedLimitNames = [...scalarLimitNames, 'budget_duration', ...modelLimitNames, 'allowed_cache_controls'] as const;
export type GuardedLimitName = (typeof guardedLimitNames)[number];

const rateNames = new Set(['tpm_limit', 'rpm_limit', 'max_parallel_requests', 'model_rpm_limit', 'model_tpm_limit']);

/** How much a scalar limit allows: Infinity when it is unset (or a rate limit of 0). */
export function allowance(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return Infinity;
  if (value === 0 && rateNames.has(name)) return Infinity;
  return value;
}

/** A budget period in ms; a budget without one never resets, the tightest period of all. */
export function periodLength(duration: unknown): number {
  if (typeof duration !== 'string' || !duration) return Infinity;
  try {
    return parseDuration(duration);
  } catch {
    return 0;
  }
}

/** `model_max_budget` entries: `{budget_limit, time_period}` (or `max_budget` / `budget_duration`). */
function modelBudget(entry: unknown): { limit: number; period: number } {
  if (!entry || typeof entry !== 'object') return { limit: Infinity, period: Infinity };
  const record = entry as Record<string, unknown>;
  return { limit: allowance('max_budget', record.budget_limit ?? record.max_budget), period: periodLength(record.time_period ?? record.budget_duration) };
}

function mapOf(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Whether `candidate` allows more than `reference` for this limit field. */
export function allowsMore(name: GuardedLimitName, candidate: unknown, reference: unknown): boolean {
  if (name === 'budget_duration') return periodLength(candidate) < periodLength(reference);
  if (name === 'allowed_cache_controls') {
    // An empty list allows every cache control; otherwise the controls listed.
    const allowed = controlList(reference);
    if (allowed.length === 0) return false;
    const next = controlList(candidate);
    return next.length === 0 || next.some((control) => !allowed.includes(control));
  }
  if (name === 'model_max_budget') {
    const next = mapOf(candidate);
    return Object.entries(mapOf(reference)).some(([model, entry]) => {
      const before = modelBudget(entry);
      const after = modelBudget(next[model]);
      return after.limit > before.limit || (before.limit !== Infinity && after.period < before.period);
    });
  }
  if (name === 'model_rpm_limit' || name === 'model_tpm_limit') {
    const next = mapOf(candidate);
    return Object.entries(mapOf(reference)).some(([model, limit]) => allowance(name, next[model]) > allowance(name, limit));
  }
  return allowance(name, candidate) > allowance(name, reference);
}

/** Whether a limit value restricts anything (an unset one never does). */
export function restricts(name: GuardedLimitName, value: unknown): boolean {
  if (name === 'budget_duration') return false;
  if (name === 'allowed_cache_controls') return controlList(value).length > 0;
  if (name === 'model_max_budget' || name === 'model_rpm_limit' || name === 'model_tpm_limit') return Object.keys(mapOf(value)).length > 0;
  return allowance(name, value) !== Infinity;
}

function controlList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** An expiry (ISO time or null = never) later than another. */
export function expiresLater(candidate: string | null | undefined, reference: string | null | undefined): boolean {
  const time = (value: string | null | undefined) => (value ? Date.parse(value) : Infinity);
  return time(candidate) > time(reference);
}

/** LiteLLM's values that mean "no restriction" in a model list. */
const everything = new Set(['*', 'all-proxy-models']);

/** A model list as a restriction: undefined when it allows every model (`[]`, `*`, `all-proxy-models`, `all-team-models`). */
export function modelRestriction(list: readonly string[] | null | undefined): readonly string[] | undefined {
  const patterns = (list ?? []).filter((pattern) => pattern !== 'all-team-models');
  if (patterns.length === 0 || patterns.some((pattern) => everything.has(pattern))) return undefined;
  return patterns;
}

/**
 * Whether every model `inner` names is also named by `outer`, read without the model catalog: the
 * same name, or a wildcard `prefix*` of `outer` covering it. An access group only covers itself
 * (the auth service does not know the config's groups), so a list within a group names the group.
 */
export function modelsWithin(inner: readonly string[] | null | undefined, outer: readonly string[] | null | undefined): boolean {
  const bound = modelRestriction(outer);
  if (!bound) return true;
  const names = modelRestriction(inner);
  if (!names) return false;
  return names.every((name) => bound.some((pattern) => pattern === name || (pattern.endsWith('*') && name.startsWith(pattern.slice(0, -1)))));
}

/** What a key's model lists reach is their intersection: it stays within `bound` when one of them does. */
export function listsWithin(lists: ReadonlyArray<readonly string[] | null | undefined>, bound: readonly string[] | null | undefined): boolean {
  if (!modelRestriction(bound)) return true;
  return lists.some((list) => modelsWithin(list, bound));
}

type RouteGroup = 'llm' | 'management' | 'info';
const routeGroups: Record<string, readonly RouteGroup[]> = { llm_api: ['llm'], management: ['management', 'info'], read_only: ['info'] };

/** Whether a `key_type` reaches only routes another one reaches (`default` / unset reaches all). */
export function keyTypeWithin(candidate: string | null | undefined, reference: string | null | undefined): boolean {
  const outer = reference ? routeGroups[reference] : undefined;
  if (!outer) return true;
  const inner = candidate ? routeGroups[candidate] : undefined;
  if (!inner) return false;
  return inner.every((group) => outer.includes(group));
}
