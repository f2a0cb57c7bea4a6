import type { IdentityLimits } from '@switchboard/contracts';
import type { CustomerEntity, JsonObject, KeyEntity, OrganizationEntity, TeamEntity, UserEntity } from '@switchboard/data-access-identity';
import { budgetResetAt } from '@switchboard/identity';

const secretVariable = /secret|key|token|password|header/i;

/**
 * Per-key and per-team callback settings (`metadata.logging[].callback_vars`) may hold a
 * destination's credentials: shown as `*****` unless they are `os.environ/NAME` references.
 */
function maskedMetadata(metadata: unknown): unknown {
  if (!metadata || typeof metadata !== 'object' || !Array.isArray((metadata as JsonObject).logging)) return metadata;
  const logging = ((metadata as JsonObject).logging as unknown[]).map((entry) => {
    if (!entry || typeof entry !== 'object' || !(entry as JsonObject).callback_vars || typeof (entry as JsonObject).callback_vars !== 'object') return entry;
    const variables = Object.fromEntries(
      Object.entries((entry as JsonObject).callback_vars as JsonObject).map(([name, value]) => [
        name,
        secretVariable.test(name) && !(typeof value === 'string' && value.startsWith('os.environ/')) ? '*****' : value,
      ]),
    );
    return { ...(entry as JsonObject), callback_vars: variables };
  });
  return { ...(metadata as JsonObject), logging };
}

/** An identity row with budget fields: what a view flattens (the row's columns are LiteLLM's field names). */
type IdentityRow = (KeyEntity | UserEntity | TeamEntity | OrganizationEntity | CustomerEntity) & { key_id?: string | null };

/**
 * Flattens the `limits` column into LiteLLM's top-level fields (`max_budget`, `tpm_limit`, ...),
 * with `budget_reset_at`: when the current budget period ends (null for a budget that never resets).
 */
function flatten(row: IdentityRow): JsonObject {
  const { limits, key_id: _keyId, ...rest } = row;
  const flat: JsonObject = { ...rest };
  if ('metadata' in flat) flat.metadata = maskedMetadata(flat.metadata);
  for (const name of ['max_budget', 'soft_budget', 'budget_duration', 'tpm_limit', 'rpm_limit', 'max_parallel_requests', 'model_max_budget', 'model_rpm_limit', 'model_tpm_limit']) {
    flat[name] = (limits as JsonObject | undefined)?.[name] ?? null;
  }
  flat.budget_reset_at = budgetResetAt(limits as IdentityLimits | undefined, row.created_at);
  return flat;
}

/** A key as `/key/info` and `/key/list` show it: never a plaintext, `token` is the hash. */
export function keyView(row: KeyEntity, spend: number): JsonObject {
  return { ...flatten(row), spend, token_id: row.token };
}

export function userView(row: UserEntity, spend: number, teams: string[]): JsonObject {
  return { ...flatten(row), spend, teams };
}

export function teamView(row: TeamEntity, spend: number): JsonObject {
  return { ...flatten(row), spend };
}

export function organizationView(row: OrganizationEntity, spend: number): JsonObject {
  return { ...flatten(row), spend };
}

export function customerView(row: CustomerEntity, spend: number): JsonObject {
  return { ...flatten(row), spend };
}
