import type { IdentityLimits } from '@switchboard/contracts';
import type { Row } from '@switchboard/data-access-identity';
import { budgetResetAt } from '@switchboard/identity';

const secretVariable = /secret|key|token|password|header/i;

/**
 * Per-key and per-team callback settings (`metadata.logging[].callback_vars`) may hold a
 * destination's credentials: shown as `*****` unless they are `os.environ/NAME` references.
 */
function maskedMetadata(metadata: unknown): unknown {
  if (!metadata || typeof metadata !== 'object' || !Array.isArray((metadata as Row).logging)) return metadata;
  const logging = ((metadata as Row).logging as unknown[]).map((entry) => {
    if (!entry || typeof entry !== 'object' || !(entry as Row).callback_vars || typeof (entry as Row).callback_vars !== 'object') return entry;
    const variables = Object.fromEntries(
      Object.entries((entry as Row).callback_vars as Row).map(([name, value]) => [
        name,
        secretVariable.test(name) && !(typeof value === 'string' && value.startsWith('os.environ/')) ? '*****' : value,
      ]),
    );
    return { ...(entry as Row), callback_vars: variables };
  });
  return { ...(metadata as Row), logging };
}

/**
 * Flattens the `limits` column into LiteLLM's top-level fields (`max_budget`, `tpm_limit`, ...),
 * with `budget_reset_at`: when the current budget period ends (null for a budget that never resets).
 */
function flatten(row: Row): Row {
  const { limits, key_id: _keyId, ...rest } = row;
  const flat: Row = { ...rest };
  if ('metadata' in flat) flat.metadata = maskedMetadata(flat.metadata);
  for (const name of ['max_budget', 'soft_budget', 'budget_duration', 'tpm_limit', 'rpm_limit', 'max_parallel_requests', 'model_max_budget', 'model_rpm_limit', 'model_tpm_limit']) {
    flat[name] = (limits as Row | undefined)?.[name] ?? null;
  }
  flat.budget_reset_at = budgetResetAt(limits as IdentityLimits | undefined, row.created_at);
  return flat;
}

/** A key as `/key/info` and `/key/list` show it: never a plaintext, `token` is the hash. */
export function keyView(row: Row, spend: number): Row {
  return { ...flatten(row), spend, token_id: row.token };
}

export function userView(row: Row, spend: number, teams: string[]): Row {
  return { ...flatten(row), spend, teams };
}

export function teamView(row: Row, spend: number): Row {
  return { ...flatten(row), spend };
}

export function organizationView(row: Row, spend: number): Row {
  return { ...flatten(row), spend };
}

export function customerView(row: Row, spend: number): Row {
  return { ...flatten(row), spend };
}
