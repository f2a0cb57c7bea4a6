import type { IdentityLimits, KeyIdentity } from '@switchboard/contracts';
import { parseDuration } from '@switchboard/identity';
import type { Budget, ParallelLimit, RateLimit, TokenLimit } from '@switchboard/limits';

/** A budget without `budget_duration` never resets; its counters live for a century. */
const lifetimeMs = 100 * 365 * 86_400_000;
const minuteMs = 60_000;

function periodOf(duration: unknown): number {
  if (typeof duration !== 'string' || !duration) return lifetimeMs;
  try {
    return parseDuration(duration);
  } catch {
    return lifetimeMs;
  }
}

function budget(scope: string, maxBudget: unknown, duration: unknown, softBudget?: unknown): Budget | undefined {
  const soft = typeof softBudget === 'number' && Number.isFinite(softBudget) && softBudget >= 0 ? Math.round(softBudget * 1e9) : undefined;
  const hard = typeof maxBudget === 'number' && Number.isFinite(maxBudget) && maxBudget >= 0 ? Math.round(maxBudget * 1e9) : undefined;
  if (hard === undefined && soft === undefined) return undefined;
  // A soft budget alone is tracked against an unreachable hard limit.
  return { scope, limitNanoUsd: hard ?? Number.MAX_SAFE_INTEGER, periodMs: periodOf(duration), softLimitNanoUsd: soft };
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

interface Owner {
  scope: string;
  limits: IdentityLimits | undefined;
}

/** A customer (end user) the auth service knows, with its limits. */
export interface CustomerLimits {
  id: string;
  limits: IdentityLimits | undefined;
}

/** The key, its team and its user, and the request's customer, each with the limits the auth service stored for it. */
function owners(identity: KeyIdentity | undefined, customer: CustomerLimits | undefined): Owner[] {
  const list: Owner[] = [];
  if (identity) {
    list.push({ scope: `key:${identity.keyHash}`, limits: identity.limits });
    if (identity.teamId) list.push({ scope: `team:${identity.teamId}`, limits: identity.teamLimits });
    if (identity.userId) list.push({ scope: `user:${identity.userId}`, limits: identity.userLimits });
  }
  if (customer) list.push({ scope: `customer:${customer.id}`, limits: customer.limits });
  return list;
}

/** Every budget that applies to a request on this model group (key, team, user, customer, per-model). */
export function budgetsFor(identity: KeyIdentity | undefined, modelGroup: string, customer?: CustomerLimits): Budget[] {
  const budgets: Budget[] = [];
  for (const owner of owners(identity, customer)) {
    const found = budget(owner.scope, owner.limits?.max_budget, owner.limits?.budget_duration, owner.limits?.soft_budget);
    if (found) budgets.push(found);
  }
  // LiteLLM's `model_max_budget`: {"gpt-4o": {"budget_limit": 0.5, "time_period": "30d"}} (also max_budget / budget_duration).
  const perModel = identity?.limits.model_max_budget?.[modelGroup] as Record<string, unknown> | undefined;
  if (identity && perModel) {
    const found = budget(`key:${identity.keyHash}:model:${modelGroup}`, perModel.budget_limit ?? perModel.max_budget, perModel.time_period ?? perModel.budget_duration);
    if (found) budgets.push(found);
  }
  return budgets;
}

export interface IdentityRateLimits {
  requests: RateLimit[];
  tokens: TokenLimit[];
  parallel: ParallelLimit[];
}

/** `rpm_limit`, `tpm_limit` and `max_parallel_requests` of the key, its team, its user and the customer, and the key's per-model limits. */
export function rateLimitsFor(identity: KeyIdentity | undefined, modelGroup: string, customer?: CustomerLimits): IdentityRateLimits {
  const limits: IdentityRateLimits = { requests: [], tokens: [], parallel: [] };
  for (const owner of owners(identity, customer)) {
    const rpm = positive(owner.limits?.rpm_limit);
    const tpm = positive(owner.limits?.tpm_limit);
    const parallel = positive(owner.limits?.max_parallel_requests);
    if (rpm) limits.requests.push({ scope: `${owner.scope}:rpm`, limit: rpm, windowMs: minuteMs });
    if (tpm) limits.tokens.push({ scope: `${owner.scope}:tpm`, limit: tpm, windowMs: minuteMs });
    if (parallel) limits.parallel.push({ scope: owner.scope, limit: parallel });
  }
  if (!identity) return limits;
  const modelRpm = positive(identity.limits.model_rpm_limit?.[modelGroup]);
  const modelTpm = positive(identity.limits.model_tpm_limit?.[modelGroup]);
  if (modelRpm) limits.requests.push({ scope: `key:${identity.keyHash}:model:${modelGroup}:rpm`, limit: modelRpm, windowMs: minuteMs });
  if (modelTpm) limits.tokens.push({ scope: `key:${identity.keyHash}:model:${modelGroup}:tpm`, limit: modelTpm, windowMs: minuteMs });
  return limits;
}

/** Names a limit for an error message without its id (a key hash stays out of client-facing text). */
export function describeScope(scope: string): string {
  const [kind] = scope.split(':');
  const model = /:model:(.+?)(:rpm|:tpm)?$/.exec(scope)?.[1];
  return model ? `${kind} (model ${model})` : kind;
}
