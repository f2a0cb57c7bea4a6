import { describe, expect, it } from 'vitest';
import { budgetPeriodAt, budgetResetAt, budgetScheduleOf, epochAlignedSchedule, materializeBudgetSchedule, withBudgetSchedule } from './budget-schedule';

const hour = 3_600_000;
const day = 24 * hour;
const created = Date.parse('2025-03-01T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe('budget periods', () => {
  it('start when the object was created and repeat every budget_duration, as LiteLLM resets them', () => {
    const schedule = budgetScheduleOf({ budget_duration: '1d' }, iso(created));
    expect(budgetPeriodAt(schedule, created + hour)).toEqual({ startMs: created, endMs: created + day });
    expect(budgetPeriodAt(schedule, created + day)).toEqual({ startMs: created + day, endMs: created + 2 * day });
    expect(budgetPeriodAt(schedule, created + 5 * day + 1)).toEqual({ startMs: created + 5 * day, endMs: created + 6 * day });
    expect(budgetResetAt({ budget_duration: '1d' }, iso(created), created + 36 * hour)).toBe(iso(created + 2 * day));
  });

  it('a budget without budget_duration is one endless period over all its spend', () => {
    expect(budgetPeriodAt(budgetScheduleOf({ max_budget: 1 }, iso(created)), created + 400 * day)).toEqual({ startMs: 0 });
    expect(budgetResetAt({ max_budget: 1 }, iso(created))).toBeNull();
  });

  it('epoch-aligned periods for budgets with no row (global, model_max_budget)', () => {
    expect(budgetPeriodAt(epochAlignedSchedule(hour), 5 * hour + 10)).toEqual({ startMs: 5 * hour, endMs: 6 * hour });
    expect(budgetPeriodAt(epochAlignedSchedule(undefined), 5 * hour)).toEqual({ startMs: 0 });
  });

  it('changing budget_duration keeps the running period (and its spend) and resets at now + the new duration', () => {
    const now = created + 2 * day + 3 * hour;
    const limits = withBudgetSchedule({ max_budget: 5, budget_duration: '1d' }, { budget_duration: '7d' }, iso(created), now);
    expect(limits).toMatchObject({ max_budget: 5, budget_duration: '7d', budget_period_start: iso(created + 2 * day), budget_reset_at: iso(now + 7 * day) });
    const schedule = budgetScheduleOf(limits as never, iso(created));
    expect(budgetPeriodAt(schedule, now + 6 * day)).toEqual({ startMs: created + 2 * day, endMs: now + 7 * day });
    expect(budgetPeriodAt(schedule, now + 7 * day + 1)).toEqual({ startMs: now + 7 * day, endMs: now + 14 * day });
  });

  it('the same duration again changes nothing; removing it keeps the running period open; adding one to a lifetime budget keeps all its spend', () => {
    const now = created + 30 * hour;
    expect(withBudgetSchedule({ budget_duration: '1d' }, { budget_duration: '24h', max_budget: 2 }, iso(created), now)).toEqual({ budget_duration: '24h', max_budget: 2 });
    const removed = withBudgetSchedule({ budget_duration: '1d' }, { budget_duration: null }, iso(created), now);
    expect(removed).toMatchObject({ budget_duration: null, budget_period_start: iso(created + day), budget_reset_at: null });
    expect(budgetPeriodAt(budgetScheduleOf(removed as never), now + 100 * day)).toEqual({ startMs: created + day });
    const added = withBudgetSchedule({ max_budget: 1 }, { budget_duration: '1h' }, iso(created), now);
    expect(budgetPeriodAt(budgetScheduleOf(added as never), now + 10)).toEqual({ startMs: 0, endMs: now + hour });
  });

  it('materializes the anchors for readers that do not know when the row was created', () => {
    const limits = materializeBudgetSchedule({ budget_duration: '1h' }, iso(created));
    expect(limits).toEqual({ budget_duration: '1h', budget_period_start: iso(created), budget_reset_at: iso(created + hour) });
    expect(budgetScheduleOf(limits)).toEqual(budgetScheduleOf({ budget_duration: '1h' }, iso(created)));
    expect(materializeBudgetSchedule({ max_budget: 1 }, iso(created))).toEqual({ max_budget: 1 });
  });
});
