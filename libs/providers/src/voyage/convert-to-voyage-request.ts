import { SwitchboardError } from '@switchboard/spec';
import type { EmbeddingRequest } from '@switchboard/spec';
import type { VoyageEmbeddingsRequest } from './voyage-api-schemas';

/**
 * The OpenAI embeddings request in Voyage's shape: `dimensions` is `output_dimension`, `input_type`
 * is `query` or `document` (anything else, e.g. Cohere's `search_query`, is mapped to the nearest).
 * Floats are always asked for: the OpenAI edge encodes base64 itself when the client wants it.
 */
export function convertToVoyageRequest(request: EmbeddingRequest, upstreamModel: string): VoyageEmbeddingsRequest {
  const { input } = request;
  if (Array.isArray(input) && !input.every((item) => typeof item === 'string')) {
    throw new SwitchboardError('invalid_request', 'voyage embeds text only; token arrays are not accepted', { param: 'input' });
  }
  const body: VoyageEmbeddingsRequest = { model: upstreamModel, input: input as string | string[] };
  const inputType = voyageInputType(request.input_type);
  if (inputType) body.input_type = inputType;
  if (request.dimensions != null) body.output_dimension = request.dimensions;
  if (typeof request.truncation === 'boolean') body.truncation = request.truncation;
  if (typeof request.output_dtype === 'string') body.output_dtype = request.output_dtype;
  return body;
}

function voyageInputType(inputType: string | undefined): 'query' | 'document' | undefined {
  if (!inputType) return undefined;
  if (/query/i.test(inputType)) return 'query';
  if (/document/i.test(inputType)) return 'document';
  return undefined;
}
