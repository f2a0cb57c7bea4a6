import { buildUsage } from '@switchboard/provider-utils';
import type { Usage } from '@switchboard/spec';
import type { GeminiUsageMetadata } from './gemini-api-schemas';

/** Output = candidates + thoughts (Gemini bills thinking as output); cached content is part of the prompt. */
export function convertGeminiUsage(usage: GeminiUsageMetadata | undefined): Usage {
  const thoughts = usage?.thoughtsTokenCount ?? 0;
  return buildUsage({
    inputTotal: usage?.promptTokenCount ?? 0,
    cacheRead: usage?.cachedContentTokenCount ?? 0,
    outputTotal: (usage?.candidatesTokenCount ?? 0) + thoughts,
    reasoning: thoughts,
    raw: usage,
  });
}
