/**
 * The minimal, tolerant shapes of Bedrock InvokeModel embedding answers.
 * Titan Text Embeddings (G1 and V2), one text a call:
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html
 */
export interface TitanEmbeddingResponse {
  embedding?: number[];
  inputTextTokenCount?: number;
  /** V2 also returns the vectors by type (`float`, `binary`). */
  embeddingsByType?: { float?: number[] };
}

/**
 * Cohere Embed, up to 96 texts a call: a list of float vectors (`embeddings_floats`), or vectors by
 * type (`embeddings_by_type`) when `embedding_types` was given or for Embed v4.
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-embed-v3.html
 */
export interface CohereBedrockEmbeddingResponse {
  id?: string;
  response_type?: string;
  embeddings?: number[][] | { float?: number[][] };
  texts?: string[];
}
