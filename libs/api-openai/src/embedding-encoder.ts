import type { EmbeddingResult } from '@switchboard/spec';

/** https://platform.openai.com/docs/api-reference/embeddings/object */
export function encodeEmbeddingResponse(result: EmbeddingResult): Record<string, unknown> {
  return {
    object: 'list',
    data: result.embeddings.map((embedding, index) => ({ object: 'embedding', index, embedding })),
    model: result.model,
    usage: { prompt_tokens: result.usage.inputTokens, total_tokens: result.usage.inputTokens },
  };
}
