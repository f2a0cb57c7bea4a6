import { buildUsage } from '@switchboard/provider-utils';
import type { Usage } from '@switchboard/spec';

/** `/complete` and `/semantic_embed` count tokens as `num_tokens_prompt_total` / `num_tokens_generated`; no cache, no reasoning. */
export function convertAlephAlphaUsage(counts: { num_tokens_prompt_total?: number; num_tokens_generated?: number }): Usage {
  return buildUsage({
    inputTotal: counts.num_tokens_prompt_total ?? 0,
    outputTotal: counts.num_tokens_generated ?? 0,
    raw: { num_tokens_prompt_total: counts.num_tokens_prompt_total, num_tokens_generated: counts.num_tokens_generated },
  });
}
