import { buildUsage } from '@switchboard/provider-utils';
import type { Usage } from '@switchboard/spec';
import type { OpenAiUsage } from './openai-compatible-api-schemas';

export function convertOpenAiCompatibleUsage(usage: OpenAiUsage | null | undefined): Usage {
  const prompt = usage?.prompt_tokens ?? 0;
  const completion = usage?.completion_tokens ?? 0;
  return buildUsage({
    inputTotal: prompt,
    cacheRead: usage?.prompt_tokens_details?.cached_tokens ?? usage?.prompt_cache_hit_tokens ?? 0,
    cacheWrite: usage?.prompt_tokens_details?.cache_creation_tokens ?? 0,
    outputTotal: completion,
    reasoning: usage?.completion_tokens_details?.reasoning_tokens ?? 0,
    raw: usage ?? undefined,
  });
}
