import type { EmbeddingResult } from '@switchboard/spec';

/**
 * https://platform.openai.com/docs/api-reference/embeddings/object
 * The official SDKs ask for `encoding_format: "base64"` by default and decode it themselves, so a
 * vector a provider returned as floats is sent as base64 little-endian float32 when asked.
 */
export function encodeEmbeddingResponse(result: EmbeddingResult, encodingFormat?: 'float' | 'base64'): Record<string, unknown> {
  return {
    object: 'list',
    data: result.embeddings.map((embedding, index) => ({
      object: 'embedding',
      index,
      embedding: encodingFormat === 'base64' && Array.isArray(embedding) ? toBase64(embedding) : embedding,
    })),
    model: result.model,
    usage: { prompt_tokens: result.usage.inputTokens, total_tokens: result.usage.inputTokens },
  };
}

function toBase64(vector: readonly number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}
