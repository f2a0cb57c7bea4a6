import type { FinishReason } from '@switchboard/spec';

/** Cohere's finish reasons: https://docs.cohere.com/reference/chat#response.body.finish_reason */
export function mapCohereFinishReason(raw: string | null | undefined): FinishReason {
  switch (raw) {
    case 'COMPLETE':
    case 'STOP_SEQUENCE':
      return { unified: 'stop', raw };
    case 'MAX_TOKENS':
      return { unified: 'length', raw };
    case 'TOOL_CALL':
      return { unified: 'tool_calls', raw };
    case 'ERROR':
    case 'TIMEOUT':
      return { unified: 'error', raw };
    case null:
    case undefined:
      return { unified: 'stop', raw: null };
    default:
      return { unified: 'other', raw };
  }
}
