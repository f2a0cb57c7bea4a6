/**
 * The minimal, tolerant shape of a Vertex AI text-embedding `:predict` answer. The predict route
 * returns the model's own output, whose statistics are snake_case (`token_count`); the typed
 * reference spells them `tokenCount`, so both are read.
 * https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/text-embeddings-api
 */
export interface VertexEmbeddingStatistics {
  token_count?: number;
  tokenCount?: number;
  truncated?: boolean;
}

export interface VertexEmbeddingPrediction {
  embeddings?: { values?: number[]; statistics?: VertexEmbeddingStatistics };
}

export interface VertexEmbeddingResponse {
  predictions?: VertexEmbeddingPrediction[];
  /** Older models bill by characters (`billableCharacterCount`). */
  metadata?: Record<string, unknown>;
}
