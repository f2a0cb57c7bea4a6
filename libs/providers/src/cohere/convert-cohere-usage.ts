import { buildUsage } from '@switchboard/provider-utils';
import type { Usage } from '@switchboard/spec';
import type { CohereUsage } from './cohere-api-schemas';

/**
 * Cohere bills `billed_units`; `tokens` also count the preamble Cohere adds itself (a 10-token
 * question can be 1,400 `tokens`), and `cached_tokens` is a part of those `tokens`, not of the
 * billed units. So the totals are the billed units (what the invoice says) and the cache split is
 * reported only when Cohere sends no billed units (e.g. some private deployments). Everything,
 * `tokens` and `cached_tokens` included, stays in `raw`.
 * https://docs.cohere.com/reference/chat#response.body.usage
 */
export function convertCohereUsage(usage: CohereUsage | null | undefined): Usage {
  const billed = usage?.billed_units;
  if (billed && (billed.input_tokens !== undefined || billed.output_tokens !== undefined)) {
    return buildUsage({ inputTotal: billed.input_tokens ?? 0, outputTotal: billed.output_tokens ?? 0, raw: usage ?? undefined });
  }
  const input = usage?.tokens?.input_tokens ?? 0;
  return buildUsage({
    inputTotal: input,
    cacheRead: Math.min(usage?.cached_tokens ?? 0, input),
    outputTotal: usage?.tokens?.output_tokens ?? 0,
    raw: usage ?? undefined,
  });
}
