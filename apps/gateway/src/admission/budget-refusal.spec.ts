import { describe, expect, it } from 'vitest';
import { budgetExceeded, pythonFloat } from './budget-refusal';
import type { AppliedBudget } from './identity-limits';
import { nanoUsdOf } from './ledger-spend.client';

const applied = (owner: AppliedBudget['owner'], maxBudgetUsd: number): AppliedBudget => ({
  budget: { scope: 'x', limitNanoUsd: Math.round(maxBudgetUsd * 1e9), refuseWhen: 'exceeded', periodAt: () => ({ startMs: 0 }) },
  owner,
  maxBudgetUsd,
  ledger: { entity: 'all' },
});

describe('budget refusals in LiteLLM words', () => {
  it.each([
    [1, '1.0'],
    [0, '0.0'],
    [0.0001, '0.0001'],
    [0.000047, '4.7e-05'],
    [0.0000235, '2.35e-05'],
    [1e-7, '1e-07'],
    [12.5, '12.5'],
    [1e16, '1e+16'],
  ])('writes %s as Python does: %s', (value, written) => {
    expect(pythonFloat(value)).toBe(written);
  });

  it.each([
    [{ kind: 'key' } as const, 'Budget has been exceeded! Current cost: 4.7e-05, Max budget: 2.5e-05'],
    [{ kind: 'global' } as const, 'Budget has been exceeded! Current cost: 4.7e-05, Max budget: 2.5e-05'],
    [{ kind: 'team', id: 't1' } as const, 'Budget has been exceeded! Team=t1 Current cost: 4.7e-05, Max budget: 2.5e-05'],
    [{ kind: 'user', id: 'u1' } as const, 'ExceededBudget: User=u1 over budget. Spend=4.7e-05, Budget=2.5e-05'],
    [{ kind: 'customer', id: 'acme' } as const, 'ExceededBudget: End User=acme over budget. Spend=4.7e-05, Budget=2.5e-05'],
    [{ kind: 'model', modelGroup: 'gpt', keyName: 'sk-...abcd' } as const, 'LiteLLM Virtual Key: sk-...abcd, key_alias: None, exceeded budget for model=gpt'],
  ])('%o: 400 budget_exceeded, "%s"', (owner, message) => {
    const error = budgetExceeded(applied(owner, 0.000025), 47_000);
    expect(error).toMatchObject({ code: 'budget_exceeded', status: 400, isRetryable: false, message });
  });

  it('reads the ledger decimal exactly, rounding up to the nano-dollar', () => {
    expect(nanoUsdOf('0.000047000000')).toBe(47_000);
    expect(nanoUsdOf('0.000000000001')).toBe(1);
    expect(nanoUsdOf('12')).toBe(12_000_000_000);
    expect(() => nanoUsdOf('-1')).toThrow(/not a decimal/);
  });
});
