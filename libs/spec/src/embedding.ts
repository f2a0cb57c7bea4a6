/** The OpenAI embeddings request: https://platform.openai.com/docs/api-reference/embeddings/create */
export interface EmbeddingRequest {
  model: string;
  input: string | string[] | number[] | number[][];
  encoding_format?: 'float' | 'base64';
  dimensions?: number;
  user?: string;
  /** Cohere / Voyage / Gemini style input type, passed to providers that take it. */
  input_type?: string;
  [field: string]: unknown;
}

export interface EmbeddingResult {
  model: string;
  /** One vector per input, in input order. base64 strings when `encoding_format` was base64. */
  embeddings: Array<number[] | string>;
  usage: { inputTokens: number; raw?: unknown };
}
