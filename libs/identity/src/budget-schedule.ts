import type { IdentityLimits } from '@switchboard/contracts';
import { parseDuration } from './duration';

/** One budget period: `[startMs, endMs)`; a budget that never resets has no end. */
export interface BudgetPeriod {
  startMs: number;
  endMs?: number;
}

/**
 * Where a budget's periods lie. The anchored period is `[startMs, resetAtMs)`; after it, periods
 * of `durationMs` follow one another. A budget without `budget_duration` has one endless period
 * from `startMs`. Every instance computes the same periods from these three numbers: no
 * scheduler resets anything (docs/ARCHITECTURE.md D16).
 */
export interface BudgetSchedule {
  startMs: number;
  resetAtMs?: number;
  durationMs?: number;
}

function durationOf(value: unknown): number | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  try {
    const duration = parseDuration(value);
    return duration > 0 ? duration : undefined;
  } catch {
    return undefined;
  }
}

function instantOf(value: unknown): number | undefined {
  if (typeof value !== 'string' && !(value instanceof Date)) return undefined;
  const instant = new Date(value).getTime();
  return Number.isFinite(instant) ? instant : undefined;
}

/** The period containing `atMs`. */
export function budgetPeriodAt(schedule: BudgetSchedule, atMs: number): BudgetPeriod {
  const { startMs, resetAtMs, durationMs } = schedule;
  if (resetAtMs === undefined || durationMs === undefined) return { startMs };
  if (atMs < resetAtMs) return { startMs, endMs: resetAtMs };
  const periodStart = resetAtMs + Math.floor((atMs - resetAtMs) / durationMs) * durationMs;
  return { startMs: periodStart, endMs: periodStart + durationMs };
}

/** Periods of `durationMs` counted from the epoch: the global budget and `model_max_budget`, which have no stored row. */
export function epochAlignedSchedule(durationMs: number | undefined): BudgetSchedule {
  return durationMs ? { startMs: 0, resetAtMs: durationMs, durationMs } : { startMs: 0 };
}

/**
 * A budget's schedule from its stored limits. Anchors the auth service wrote win; otherwise the
 * first period starts when the object was created (LiteLLM: `budget_reset_at = created + duration`),
 * and a budget that never resets counts everything since the beginning.
 */
export function budgetScheduleOf(limits: IdentityLimits | undefined, createdAt?: unknown): BudgetSchedule {
  const durationMs = durationOf(limits?.budget_duration);
  const storedStart = instantOf(limits?.budget_period_start);
  if (durationMs === undefined) return { startMs: storedStart ?? 0 };
  const storedReset = instantOf(limits?.budget_reset_at);
  if (storedStart !== undefined && storedReset !== undefined) return { startMs: storedStart, resetAtMs: storedReset, durationMs };
  const created = instantOf(createdAt) ?? 0;
  return { startMs: created, resetAtMs: created + durationMs, durationMs };
}

/** LiteLLM's `budget_reset_at` as `/key/info` shows it: the end of the current period, or null for a budget that never resets. */
export function budgetResetAt(limits: IdentityLimits | undefined, createdAt: unknown, nowMs = Date.now()): string | null {
  if (durationOf(limits?.budget_duration) === undefined) return null;
  const { endMs } = budgetPeriodAt(budgetScheduleOf(limits, createdAt), nowMs);
  return endMs === undefined ? null : new Date(endMs).toISOString();
}

/**
 * The limits with the schedule's anchors written out, so a reader without the row's creation
 * time (a gateway, a regenerated key's new row) computes the same periods.
 */
export function materializeBudgetSchedule<T extends IdentityLimits>(limits: T | undefined, createdAt: unknown): T {
  const copy = { ...(limits ?? {}) } as T;
  const schedule = budgetScheduleOf(limits, createdAt);
  if (schedule.resetAtMs === undefined) return copy;
  copy.budget_period_start = new Date(schedule.startMs).toISOString();
  copy.budget_reset_at = new Date(schedule.resetAtMs).toISOString();
  return copy;
}

function sameDuration(left: unknown, right: unknown): boolean {
  return durationOf(left) === durationOf(right);
}

/**
 * Merges changed limits into the stored ones and keeps the budget's period honest when
 * `budget_duration` changes, as LiteLLM does: the spend of the running period is kept (the period
 * still starts where it started) and the next reset is `now + new duration`; removing the
 * duration keeps the running period open forever. The same duration sent again changes nothing.
 */
export function withBudgetSchedule(previous: IdentityLimits | undefined, changes: Readonly<Record<string, unknown>>, createdAt: unknown, nowMs = Date.now()): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...(previous ?? {}), ...changes };
  if (!('budget_duration' in changes) || sameDuration(changes.budget_duration, previous?.budget_duration)) return merged;
  const running = budgetPeriodAt(budgetScheduleOf(previous, createdAt), nowMs);
  const durationMs = durationOf(changes.budget_duration);
  merged.budget_period_start = new Date(running.startMs).toISOString();
  merged.budget_reset_at = durationMs === undefined ? null : new Date(nowMs + durationMs).toISOString();
  return merged;
}
