import type { FinishReason } from '@switchboard/spec';
import { mapOpenAiCompatibleFinishReason } from '../openai-compatible/map-openai-compatible-finish-reason';

/**
 * OpenAI's reasons plus Mistral's own: `model_length` (the context window ran out) and `error`.
 * https://docs.mistral.ai/api/#tag/chat (ChatCompletionChoice.finish_reason)
 */
export function mapMistralFinishReason(raw: string | null | undefined): FinishReason {
  switch (raw) {
    case 'model_length':
      return { unified: 'length', raw };
    case 'error':
      return { unified: 'error', raw };
    default:
      return mapOpenAiCompatibleFinishReason(raw);
  }
}
