import { buildUsage, estimatedUsage } from '@switchboard/provider-utils';
import type { Usage } from '@switchboard/spec';
import type { ReplicateMetrics } from './replicate-api-schemas';

/**
 * Token counts from the prediction's `metrics` (`input_token_count`, `output_token_count`), which
 * Replicate's language models report; without them, estimated from the text (about four
 * characters a token) and flagged `estimated` in `raw`.
 */
export function convertReplicateUsage(metrics: ReplicateMetrics | null | undefined, promptText: string, outputText: string): Usage {
  if (typeof metrics?.input_token_count === 'number' || typeof metrics?.output_token_count === 'number') {
    return buildUsage({ inputTotal: metrics.input_token_count ?? 0, outputTotal: metrics.output_token_count ?? 0, raw: metrics });
  }
  return estimatedUsage(promptText, outputText);
}

/** A prediction's output as text: language models answer with a list of pieces. */
export function replicateOutputText(output: string[] | string | null | undefined): string {
  if (Array.isArray(output)) return output.join('');
  return output ?? '';
}
