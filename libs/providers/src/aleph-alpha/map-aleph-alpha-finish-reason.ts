import type { FinishReason } from '@switchboard/spec';

/**
 * `/complete` finish reasons (`maximum_tokens`, `end_of_text`, `stop_sequence_reached`) and the
 * OpenAI-style ones of `/chat/completions` (`stop`, `length`, `content_filter`).
 */
export function mapAlephAlphaFinishReason(raw: string | null | undefined): FinishReason {
  switch (raw) {
    case 'end_of_text':
    case 'stop_sequence_reached':
    case 'stop':
      return { unified: 'stop', raw };
    case 'maximum_tokens':
    case 'length':
      return { unified: 'length', raw };
    case 'content_filter':
      return { unified: 'content_filter', raw };
    case null:
    case undefined:
      return { unified: 'stop', raw: null };
    default:
      return { unified: 'other', raw };
  }
}
