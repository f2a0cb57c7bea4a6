import { SwitchboardError } from '@switchboard/spec';
import type { EmbeddingRequest } from '@switchboard/spec';

/**
 * The OpenAI embeddings request as a Cohere v2 embed request.
 * https://docs.cohere.com/reference/embed: `input_type` is required for v3+ models; documents are
 * the common case, so `search_document` is the default (as LiteLLM does).
 */
export function convertToCohereEmbedRequest(request: EmbeddingRequest, upstreamModel: string): Record<string, unknown> {
  const texts = typeof request.input === 'string' ? [request.input] : request.input;
  if (!texts.every((text): text is string => typeof text === 'string')) {
    throw new SwitchboardError('invalid_request', 'cohere embeds text only; token arrays are not accepted', { param: 'input' });
  }
  const body: Record<string, unknown> = {
    model: upstreamModel,
    texts,
    input_type: request.input_type ?? 'search_document',
    // Floats always: the OpenAI edge encodes them as base64 when the client asked.
    embedding_types: ['float'],
  };
  if (request.dimensions != null) body.output_dimension = request.dimensions;
  if (typeof request.truncate === 'string') body.truncate = request.truncate;
  return body;
}
