/**
 * Voyage AI's embeddings API: https://docs.voyageai.com/reference/embeddings-api
 */
export interface VoyageEmbeddingsRequest {
  model: string;
  input: string | string[];
  /** `query` or `document` prepend Voyage's retrieval prompts; null embeds the text as it is. */
  input_type?: 'query' | 'document' | null;
  truncation?: boolean;
  output_dimension?: number;
  output_dtype?: string;
}

export interface VoyageEmbeddingsResponse {
  object?: string;
  data?: Array<{ object?: string; embedding: number[]; index?: number }>;
  model?: string;
  usage?: { total_tokens?: number };
}

/** Voyage errors are `{"detail": "..."}`. */
export interface VoyageErrorBody {
  detail?: unknown;
}
