import type { FinishReason } from '@switchboard/spec';

/**
 * watsonx finish reasons: OpenAI's (`stop`, `length`, `tool_calls`) plus the text-generation
 * ones it may report (`max_tokens`, `token_limit`, `time_limit`, `eos_token`, `stop_sequence`,
 * `cancelled`, `error`). Some models end a tool call with `stop` (IBM's Java SDK works around the
 * same quirk); a choice that carries tool calls therefore finishes with `tool_calls`.
 */
export function mapWatsonxFinishReason(raw: string | null | undefined, hasToolCalls = false): FinishReason {
  const reason = raw ?? null;
  if (hasToolCalls && (reason === null || reason === 'stop' || reason === 'eos_token')) return { unified: 'tool_calls', raw: reason };
  switch (reason) {
    case 'stop':
    case 'eos_token':
    case 'stop_sequence':
      return { unified: 'stop', raw: reason };
    case 'length':
    case 'max_tokens':
    case 'token_limit':
    case 'time_limit':
      return { unified: 'length', raw: reason };
    case 'tool_calls':
      return { unified: 'tool_calls', raw: reason };
    case 'content_filter':
      return { unified: 'content_filter', raw: reason };
    case 'error':
      return { unified: 'error', raw: reason };
    case null:
      return { unified: 'stop', raw: null };
    default:
      return { unified: 'other', raw: reason };
  }
}
