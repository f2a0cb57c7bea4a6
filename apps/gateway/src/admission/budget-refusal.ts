import { SwitchboardError } from '@switchboard/spec';
import type { AppliedBudget } from './identity-limits';

/**
 * A float as Python's `repr` writes it (LiteLLM's messages are Python f-strings): `1.0`, `2.35e-05`,
 * `0.0001`. Scripts that parse LiteLLM's budget messages read ours the same way.
 */
export function pythonFloat(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : value < 0 ? '-inf' : 'nan';
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-4 || magnitude >= 1e16)) {
    const [mantissa, exponent] = value.toExponential().split('e');
    const sign = exponent.startsWith('-') ? '-' : '+';
    return `${mantissa}e${sign}${exponent.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

/**
 * LiteLLM's refusal of a request whose budget is spent: HTTP 400, `type: budget_exceeded`, and the
 * message its `BudgetExceededError` carries for that kind of budget (litellm/proxy/auth/auth_checks.py).
 */
export function budgetExceeded(applied: AppliedBudget, spentNanoUsd: number): SwitchboardError {
  const spend = pythonFloat(spentNanoUsd / 1e9);
  const max = pythonFloat(applied.maxBudgetUsd);
  const { owner } = applied;
  let message: string;
  switch (owner.kind) {
    case 'key':
    case 'global':
      message = `Budget has been exceeded! Current cost: ${spend}, Max budget: ${max}`;
      break;
    case 'team':
      message = `Budget has been exceeded! Team=${owner.id} Current cost: ${spend}, Max budget: ${max}`;
      break;
    case 'user':
      message = `ExceededBudget: User=${owner.id} over budget. Spend=${spend}, Budget=${max}`;
      break;
    case 'customer':
      message = `ExceededBudget: End User=${owner.id} over budget. Spend=${spend}, Budget=${max}`;
      break;
    case 'model':
      // LiteLLM names the key by its hash here; the display name (sk-...abcd) identifies it without one.
      message = `LiteLLM Virtual Key: ${owner.keyName}, key_alias: ${owner.keyAlias ?? 'None'}, exceeded budget for model=${owner.modelGroup}`;
      break;
    default: {
      const unknownOwner: never = owner;
      throw new Error(`Unknown budget owner ${JSON.stringify(unknownOwner)}`);
    }
  }
  return new SwitchboardError('budget_exceeded', message.slice(0, 1_000), { status: 400, retryable: false });
}

/**
 * The budget still has room by its recorded spend, but the requests in flight already reserve all of
 * it: not an exceeded budget (LiteLLM would admit and overspend), a short wait. 429 with
 * `retry-after`, so SDKs retry once those requests have settled.
 */
export function budgetCommitted(applied: AppliedBudget, spentNanoUsd: number, reservedNanoUsd: number): SwitchboardError {
  const owner = applied.owner.kind === 'model' ? `key (model ${applied.owner.modelGroup})` : applied.owner.kind === 'global' ? 'proxy' : applied.owner.kind;
  return new SwitchboardError(
    'rate_limited',
    `The budget of this ${owner} is reserved by requests in flight: spend ${pythonFloat(spentNanoUsd / 1e9)} plus ${pythonFloat(reservedNanoUsd / 1e9)} in flight of max_budget ${pythonFloat(applied.maxBudgetUsd)}. Retry when they finish.`,
    { retryAfterSeconds: 1 },
  );
}
