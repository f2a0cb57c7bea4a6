import { buildUsage } from '@switchboard/provider-utils';
import type { Usage } from '@switchboard/spec';
import type { AnthropicUsage } from './anthropic-api-schemas';

/**
 * Anthropic reports `input_tokens` without the cached part; Switchboard's input total is the whole
 * prompt (uncached + cache reads + cache writes), so each part can be priced at its own rate.
 */
export function convertAnthropicUsage(usage: AnthropicUsage | undefined): Usage {
  const cacheRead = usage?.cache_read_input_tokens ?? 0;
  const cacheWrite = usage?.cache_creation_input_tokens ?? 0;
  return buildUsage({
    inputTotal: (usage?.input_tokens ?? 0) + cacheRead + cacheWrite,
    cacheRead,
    cacheWrite,
    outputTotal: usage?.output_tokens ?? 0,
    raw: usage,
  });
}
