import type { FinishReason } from '@switchboard/spec';

/** https://ai.google.dev/api/generate-content#FinishReason */
export function mapGeminiFinishReason(raw: string | undefined, hasToolCalls: boolean): FinishReason {
  if (hasToolCalls && (raw === 'STOP' || raw === undefined)) return { unified: 'tool_calls', raw: raw ?? null };
  switch (raw) {
    case 'STOP':
      return { unified: 'stop', raw };
    case 'MAX_TOKENS':
      return { unified: 'length', raw };
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
      return { unified: 'content_filter', raw };
    case undefined:
      return { unified: 'stop', raw: null };
    default:
      return { unified: 'other', raw };
  }
}
