import { SwitchboardError } from '@switchboard/spec';
import type { EmbeddingRequest } from '@switchboard/spec';

/** The InvokeModel body families Switchboard embeds with. */
export type BedrockEmbeddingFamily = 'titan-v1' | 'titan-v2' | 'cohere';

/** Cohere Embed on Bedrock takes at most 96 texts a call. */
export const cohereBedrockBatchSize = 96;

/**
 * The body family of a model id (a regional inference profile prefix such as `us.` is allowed):
 * `amazon.titan-embed-text-v1` / `amazon.titan-embed-g1-text-02` (Titan G1), `amazon.titan-embed-text-v2:0`,
 * and `cohere.embed-*`. Any other model is refused: its body is not known here.
 */
export function bedrockEmbeddingFamily(modelId: string): BedrockEmbeddingFamily {
  if (/(^|\.)amazon\.titan-embed-(text-v1|g1-text)/.test(modelId)) return 'titan-v1';
  if (/(^|\.)amazon\.titan-embed-text-v2/.test(modelId)) return 'titan-v2';
  if (/(^|\.)cohere\.embed-/.test(modelId)) return 'cohere';
  throw new SwitchboardError('invalid_request', `bedrock embeddings support amazon.titan-embed-text-v1 / v2 and cohere.embed-* models, not ${modelId}`, {
    status: 400,
    retryable: false,
    param: 'model',
  });
}

/** The request's texts; Bedrock's embedding models take text only, not token arrays. */
export function embeddingTexts(request: EmbeddingRequest): string[] {
  const inputs = typeof request.input === 'string' ? [request.input] : request.input;
  if (!inputs.every((input): input is string => typeof input === 'string')) {
    throw new SwitchboardError('invalid_request', 'bedrock embeds text only; token arrays are not accepted', { param: 'input' });
  }
  return inputs;
}

/**
 * A Titan body for one text: `{inputText}` for G1, plus `dimensions` (256, 512 or 1024) and
 * `normalize` for V2. G1 has one size (1536), so `dimensions` is refused there rather than
 * silently answered with another size.
 */
export function convertToTitanEmbeddingRequest(text: string, request: EmbeddingRequest, family: 'titan-v1' | 'titan-v2'): Record<string, unknown> {
  if (family === 'titan-v1') {
    if (request.dimensions != null) {
      throw new SwitchboardError('invalid_request', 'amazon.titan-embed-text-v1 has a fixed size (1536); dimensions is not accepted', { param: 'dimensions' });
    }
    return { inputText: text };
  }
  const body: Record<string, unknown> = { inputText: text };
  if (request.dimensions != null) body.dimensions = request.dimensions;
  if (typeof request.normalize === 'boolean') body.normalize = request.normalize;
  return body;
}

/**
 * A Cohere Embed body for one batch: `texts` and `input_type` (required; `search_document` unless
 * the request names one, as for Cohere's own API), `truncate` when given, and `output_dimension`
 * for `dimensions` (Embed v4).
 */
export function convertToCohereBedrockEmbeddingRequest(texts: string[], request: EmbeddingRequest): Record<string, unknown> {
  const body: Record<string, unknown> = { texts, input_type: request.input_type ?? 'search_document' };
  if (typeof request.truncate === 'string') body.truncate = request.truncate;
  if (request.dimensions != null) body.output_dimension = request.dimensions;
  return body;
}
