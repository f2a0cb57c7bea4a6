import { buildUsage } from '@switchboard/provider-utils';
import type { Usage } from '@switchboard/spec';
import type { CohereUsage } from './cohere-api-schemas';

/**
 * Totals come from `tokens` (what the model processed, as LiteLLM reports them); `cached_tokens`
 * is the cached part of those input tokens. `billed_units` stays in `raw` for pricing that wants it.
 */
export function convertCohereUsage(usage: CohereUsage | null | undefined): Usage {
  const input = usage?.tokens?.input_tokens ?? usage?.billed_units?.input_tokens ?? 0;
  const output = usage?.tokens?.output_tokens ?? usage?.billed_units?.output_tokens ?? 0;
  return buildUsage({
    inputTotal: input,
    cacheRead: Math.min(usage?.cached_tokens ?? 0, input),
    outputTotal: output,
    raw: usage ?? undefined,
  });
}
