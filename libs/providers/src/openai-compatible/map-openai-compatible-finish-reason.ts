import type { FinishReason } from '@switchboard/spec';

export function mapOpenAiCompatibleFinishReason(raw: string | null | undefined): FinishReason {
  switch (raw) {
    case 'stop':
    case 'end_turn':
    case 'eos':
      return { unified: 'stop', raw };
    case 'length':
    case 'max_tokens':
      return { unified: 'length', raw };
    case 'tool_calls':
      return { unified: 'tool_calls', raw };
    case 'function_call':
      return { unified: 'function_call', raw };
    case 'content_filter':
      return { unified: 'content_filter', raw };
    case null:
    case undefined:
      return { unified: 'stop', raw: null };
    default:
      return { unified: 'other', raw };
  }
}
