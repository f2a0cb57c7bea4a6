import { NumberInput, SimpleGrid, TextInput } from '@mantine/core';
import type { Limits } from '../api/types';

export interface LimitValues {
  max_budget: number | '';
  soft_budget: number | '';
  budget_duration: string;
  rpm_limit: number | '';
  tpm_limit: number | '';
  max_parallel_requests: number | '';
}

export function limitValues(row?: Partial<Limits>): LimitValues {
  return {
    max_budget: row?.max_budget ?? '',
    soft_budget: row?.soft_budget ?? '',
    budget_duration: row?.budget_duration ?? '',
    rpm_limit: row?.rpm_limit ?? '',
    tpm_limit: row?.tpm_limit ?? '',
    max_parallel_requests: row?.max_parallel_requests ?? '',
  };
}

/** LiteLLM's limit fields for a body: on create only what was filled in; on update cleared ones as null. */
export function limitBody(values: LimitValues, mode: 'create' | 'update'): Record<string, number | string | null> {
  const body: Record<string, number | string | null> = {};
  for (const [name, value] of Object.entries(values) as Array<[keyof LimitValues, number | string]>) {
    if (value === '' || value === undefined) {
      if (mode === 'update') body[name] = null;
    } else {
      body[name] = typeof value === 'string' ? value.trim() : value;
    }
  }
  return body;
}

/** Budget, budget period and rate limits, as every object (key, team, user, ...) has them. */
export function LimitInputs({ values, onChange }: { values: LimitValues; onChange: (values: LimitValues) => void }) {
  const number = (name: keyof LimitValues, label: string, decimals = 0) => (
    <NumberInput
      label={label}
      min={0}
      decimalScale={decimals}
      value={values[name] as number | ''}
      onChange={(value) => onChange({ ...values, [name]: value === '' ? '' : Number(value) })}
    />
  );
  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }}>
      {number('max_budget', 'Max budget (USD)', 6)}
      {number('soft_budget', 'Soft budget (USD)', 6)}
      <TextInput label="Budget period" placeholder="30d, 1mo, 24h" value={values.budget_duration} onChange={(event) => onChange({ ...values, budget_duration: event.currentTarget.value })} />
      {number('rpm_limit', 'Requests per minute')}
      {number('tpm_limit', 'Tokens per minute')}
      {number('max_parallel_requests', 'Parallel requests')}
    </SimpleGrid>
  );
}
