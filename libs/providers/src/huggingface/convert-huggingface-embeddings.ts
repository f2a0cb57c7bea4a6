import { SwitchboardError } from '@switchboard/spec';
import type { EmbeddingRequest } from '@switchboard/spec';

/** Feature-extraction parameters a client may add to an OpenAI embeddings request. */
const passthroughFields = ['normalize', 'truncate', 'truncation_direction', 'prompt_name'] as const;

/**
 * The OpenAI embeddings request as a feature-extraction request (`{inputs}`).
 * https://huggingface.co/docs/inference-providers/tasks/feature-extraction
 */
export function convertToFeatureExtractionRequest(request: EmbeddingRequest): Record<string, unknown> {
  const { input } = request;
  if (Array.isArray(input) && !input.every((item) => typeof item === 'string')) {
    throw new SwitchboardError('invalid_request', 'huggingface embeds text only; token arrays are not accepted', { param: 'input' });
  }
  const body: Record<string, unknown> = { inputs: input };
  for (const field of passthroughFields) if (request[field] !== undefined) body[field] = request[field];
  return body;
}

/**
 * Feature extraction answers one vector for one string and a list for a list. A list of lists per
 * input means token-level (unpooled) output, which is not a sentence embedding: refused, not guessed.
 */
export function convertFeatureExtractionResponse(output: unknown, input: EmbeddingRequest['input']): number[][] {
  const expected = typeof input === 'string' ? 1 : input.length;
  const vectors = isVector(output) ? [output] : Array.isArray(output) && output.every(isVector) ? (output as number[][]) : undefined;
  if (!vectors || vectors.length !== expected) {
    throw new SwitchboardError(
      'upstream_error',
      'huggingface feature extraction did not return one pooled vector per input (is this a sentence-embedding model?)',
      { retryable: false },
    );
  }
  return vectors;
}

function isVector(value: unknown): value is number[] {
  return Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'number');
}
