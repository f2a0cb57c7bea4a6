import type { Usage } from '@switchboard/spec';
import { convertOpenAiCompatibleUsage } from '../openai-compatible/convert-openai-compatible-usage';
import type { MistralUsage } from './mistral-api-schemas';

/** OpenAI's usage shape, with cache hits also read from Mistral's `num_cached_tokens` / `prompt_token_details`. */
export function convertMistralUsage(usage: MistralUsage | null | undefined): Usage {
  if (!usage) return convertOpenAiCompatibleUsage(usage);
  const cached = usage.prompt_tokens_details?.cached_tokens ?? usage.num_cached_tokens ?? usage.prompt_token_details?.cached_tokens ?? 0;
  const converted = convertOpenAiCompatibleUsage({ ...usage, prompt_tokens_details: { ...usage.prompt_tokens_details, cached_tokens: cached } });
  return { ...converted, raw: usage };
}
