import type { FinishReason } from '@switchboard/spec';

/** https://docs.claude.com/en/api/handling-stop-reasons */
export function mapAnthropicFinishReason(raw: string | null | undefined): FinishReason {
  switch (raw) {
    case 'end_turn':
    case 'stop_sequence':
      return { unified: 'stop', raw };
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return { unified: 'length', raw };
    case 'tool_use':
      return { unified: 'tool_calls', raw };
    case 'refusal':
      return { unified: 'content_filter', raw };
    case null:
    case undefined:
      return { unified: 'stop', raw: null };
    default:
      return { unified: 'other', raw };
  }
}
