import type { Row } from '@switchboard/data-access-identity';

/** Flattens the `limits` column into LiteLLM's top-level fields (`max_budget`, `tpm_limit`, ...). */
function flatten(row: Row): Row {
  const { limits, ...rest } = row;
  const flat: Row = { ...rest };
  for (const name of ['max_budget', 'soft_budget', 'budget_duration', 'tpm_limit', 'rpm_limit', 'max_parallel_requests', 'model_max_budget', 'model_rpm_limit', 'model_tpm_limit']) {
    flat[name] = (limits as Row | undefined)?.[name] ?? null;
  }
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
