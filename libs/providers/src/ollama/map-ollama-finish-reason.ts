import type { FinishReason } from '@switchboard/spec';

/**
 * Ollama's `done_reason`: `stop`, `length`, or `load` / `unload` for requests that only (un)load a
 * model. Ollama reports `stop` after tool calls too, so the caller says whether calls were made.
 */
export function mapOllamaFinishReason(raw: string | null | undefined, madeToolCalls: boolean): FinishReason {
  switch (raw) {
    case 'stop':
    case null:
    case undefined:
      return { unified: madeToolCalls ? 'tool_calls' : 'stop', raw: raw ?? null };
    case 'length':
      return { unified: 'length', raw };
    default:
      return { unified: 'other', raw };
  }
}
