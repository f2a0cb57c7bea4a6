import type { Usage } from '@switchboard/spec';

/** The OpenAI usage object: https://platform.openai.com/docs/api-reference/chat/object#chat/object-usage */
export interface OpenAiUsageObject {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}

export function toOpenAiUsage(usage: Usage): OpenAiUsageObject {
  return {
    prompt_tokens: usage.inputTokens.total,
    completion_tokens: usage.outputTokens.total,
    total_tokens: usage.inputTokens.total + usage.outputTokens.total,
    prompt_tokens_details: { cached_tokens: usage.inputTokens.cacheRead },
    completion_tokens_details: { reasoning_tokens: usage.outputTokens.reasoning },
  };
}
