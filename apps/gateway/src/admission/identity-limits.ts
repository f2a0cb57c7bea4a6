import type { IdentityLimits, KeyIdentity, PeriodSpendRequestV1 } from '@switchboard/contracts';
import { budgetPeriodAt, budgetScheduleOf, epochAlignedSchedule, parseDuration } from '@switchboard/identity';
import type { BudgetSchedule } from '@switchboard/identity';
import type { Budget, ParallelLimit, RateLimit, TokenLimit } from '@switchboard/limits';

const minuteMs = 60_000;

/** Who a budget belongs to, for LiteLLM's refusal messages. */
export type BudgetOwner =
  | { kind: 'key' }
  | { kind: 'team' | 'user' | 'customer'; id: string }
  | { kind: 'model'; modelGroup: string; keyName: string; keyAlias?: string }
  | { kind: 'global' };

/** A budget that applies to a request, with what its refusal says and what the ledger sums to seed it. */
export interface AppliedBudget {
  budget: Budget;
  owner: BudgetOwner;
  /** `max_budget` as it was set (USD), for the refusal message. */
  maxBudgetUsd: number;
  ledger: Pick<PeriodSpendRequestV1, 'entity' | 'id' | 'modelGroup'>;
}

function durationOf(duration: unknown): number | undefined {
  if (typeof duration !== 'string' || !duration) return undefined;
  try {
    return parseDuration(duration);
  } catch {
    return undefined;
  }
}

function usdOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function applied(scope: string, schedule: BudgetSchedule, limits: { max?: unknown; soft?: unknown }, rest: Omit<AppliedBudget, 'budget' | 'maxBudgetUsd'>): AppliedBudget | undefined {
  const hard = usdOf(limits.max);
  const soft = usdOf(limits.soft);
  if (hard === undefined && soft === undefined) return undefined;
  return {
    budget: {
      scope,
      // A soft budget alone is tracked against an unreachable hard limit.
      limitNanoUsd: hard === undefined ? Number.MAX_SAFE_INTEGER : Math.round(hard * 1e9),
      softLimitNanoUsd: soft === undefined ? undefined : Math.round(soft * 1e9),
      periodAt: (atMs) => budgetPeriodAt(schedule, atMs),
      // LiteLLM: a key is refused once its spend reaches max_budget; users, teams, customers and the proxy once it exceeds it.
      refuseWhen: rest.owner.kind === 'key' ? 'reached' : 'exceeded',
    },
    maxBudgetUsd: hard ?? Number.POSITIVE_INFINITY,
    ...rest,
  };
}

/** A customer (end user) the auth service knows, with its limits. */
export interface CustomerLimits {
  id: string;
  limits: IdentityLimits | undefined;
}

/** The key's stable id: spend, budgets and limits follow the key across regenerations. */
export function keyIdOf(identity: KeyIdentity): string {
  return identity.keyId ?? identity.keyHash;
}

/** The global proxy budget (`litellm_settings.max_budget` / `budget_duration`): periods from the epoch, as it has no row. */
export function globalBudget(maxBudget: unknown, budgetDuration: unknown): AppliedBudget | undefined {
  return applied('global', epochAlignedSchedule(durationOf(budgetDuration ?? '30d')), { max: maxBudget }, { owner: { kind: 'global' }, ledger: { entity: 'all' } });
}

/**
 * Every budget that applies to a request on this model group, in LiteLLM's order of checks:
 * the key, the key's budget for this model, its team, its user, the customer. Periods follow each
 * object's stored schedule (`budget_reset_at`); a key's budgets are kept under its stable id.
 */
export function budgetsFor(identity: KeyIdentity | undefined, modelGroup: string, customer?: CustomerLimits): AppliedBudget[] {
  const budgets: Array<AppliedBudget | undefined> = [];
  if (identity) {
    const keyId = keyIdOf(identity);
    const { limits } = identity;
    budgets.push(applied(`key:${keyId}`, budgetScheduleOf(limits), { max: limits.max_budget, soft: limits.soft_budget }, { owner: { kind: 'key' }, ledger: { entity: 'key', id: keyId } }));
    // LiteLLM's `model_max_budget`: {"gpt-4o": {"budget_limit": 0.5, "time_period": "30d"}} (also max_budget / budget_duration).
    const perModel = limits.model_max_budget?.[modelGroup] as Record<string, unknown> | undefined;
    if (perModel) {
      budgets.push(
        applied(`key:${keyId}:model:${modelGroup}`, epochAlignedSchedule(durationOf(perModel.time_period ?? perModel.budget_duration)), { max: perModel.budget_limit ?? perModel.max_budget }, {
          owner: { kind: 'model', modelGroup, keyName: identity.keyName, keyAlias: identity.keyAlias },
          ledger: { entity: 'key', id: keyId, modelGroup },
        }),
      );
    }
    if (identity.teamId) budgets.push(ownerBudget('team', identity.teamId, identity.teamLimits));
    if (identity.userId) budgets.push(ownerBudget('user', identity.userId, identity.userLimits));
  }
  if (customer) budgets.push(ownerBudget('customer', customer.id, customer.limits));
  return budgets.filter((budget): budget is AppliedBudget => budget !== undefined);
}

function ownerBudget(kind: 'team' | 'user' | 'customer', id: string, limits: IdentityLimits | undefined): AppliedBudget | undefined {
  return applied(`${kind}:${id}`, budgetScheduleOf(limits), { max: limits?.max_budget, soft: limits?.soft_budget }, { owner: { kind, id }, ledger: { entity: kind, id } });
}

export interface IdentityRateLimits {
  requests: RateLimit[];
  tokens: TokenLimit[];
  parallel: ParallelLimit[];
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** `max_parallel_requests: 0` is a limit too: it refuses every request (LiteLLM answers 429). */
function nonNegative(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** `rpm_limit`, `tpm_limit` and `max_parallel_requests` of the key, its team, its user and the customer, and the key's per-model limits. */
export function rateLimitsFor(identity: KeyIdentity | undefined, modelGroup: string, customer?: CustomerLimits): IdentityRateLimits {
  const limits: IdentityRateLimits = { requests: [], tokens: [], parallel: [] };
  const owners: Array<{ scope: string; limits: IdentityLimits | undefined }> = [];
  if (identity) {
    owners.push({ scope: `key:${keyIdOf(identity)}`, limits: identity.limits });
    if (identity.teamId) owners.push({ scope: `team:${identity.teamId}`, limits: identity.teamLimits });
    if (identity.userId) owners.push({ scope: `user:${identity.userId}`, limits: identity.userLimits });
  }
  if (customer) owners.push({ scope: `customer:${customer.id}`, limits: customer.limits });
  for (const owner of owners) {
    const rpm = positive(owner.limits?.rpm_limit);
    const tpm = positive(owner.limits?.tpm_limit);
    const parallel = nonNegative(owner.limits?.max_parallel_requests);
    if (rpm) limits.requests.push({ scope: `${owner.scope}:rpm`, limit: rpm, windowMs: minuteMs });
    if (tpm) limits.tokens.push({ scope: `${owner.scope}:tpm`, limit: tpm, windowMs: minuteMs });
    if (parallel !== undefined) limits.parallel.push({ scope: owner.scope, limit: parallel });
  }
  if (!identity) return limits;
  const keyId = keyIdOf(identity);
  const modelRpm = positive(identity.limits.model_rpm_limit?.[modelGroup]);
  const modelTpm = positive(identity.limits.model_tpm_limit?.[modelGroup]);
  if (modelRpm) limits.requests.push({ scope: `key:${keyId}:model:${modelGroup}:rpm`, limit: modelRpm, windowMs: minuteMs });
  if (modelTpm) limits.tokens.push({ scope: `key:${keyId}:model:${modelGroup}:tpm`, limit: modelTpm, windowMs: minuteMs });
  return limits;
}

/** Names a limit for an error message without its id (a key hash stays out of client-facing text). */
export function describeScope(scope: string): string {
  const [kind] = scope.split(':');
  const model = /:model:(.+?)(:rpm|:tpm)?$/.exec(scope)?.[1];
  return model ? `${kind} (model ${model})` : kind;
}
