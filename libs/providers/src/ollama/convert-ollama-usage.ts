import { buildUsage } from '@switchboard/provider-utils';
import type { Usage } from '@switchboard/spec';
import type { OllamaChatChunk } from './ollama-api-schemas';

/**
 * Ollama counts prompt and generated tokens only (`prompt_eval_count`, `eval_count`); thinking
 * tokens are inside `eval_count`. Durations (nanoseconds) are kept in `raw`.
 */
export function convertOllamaUsage(chunk: OllamaChatChunk): Usage {
  return buildUsage({
    inputTotal: chunk.prompt_eval_count ?? 0,
    outputTotal: chunk.eval_count ?? 0,
    raw: {
      prompt_eval_count: chunk.prompt_eval_count,
      eval_count: chunk.eval_count,
      total_duration: chunk.total_duration,
      load_duration: chunk.load_duration,
      prompt_eval_duration: chunk.prompt_eval_duration,
      eval_duration: chunk.eval_duration,
    },
  });
}
