import { SwitchboardError } from '@switchboard/spec';
import type { EmbeddingRequest } from '@switchboard/spec';

/**
 * Instances per `:predict` call: 250 for the text-embedding models, one for gemini-embedding-*
 * (API limits, https://cloud.google.com/vertex-ai/generative-ai/docs/embeddings/get-text-embeddings).
 */
export function vertexEmbeddingBatchSize(model: string): number {
  return model.startsWith('gemini-embedding') ? 1 : 250;
}

/** Cohere / Voyage style input types, as Vertex task types; a Vertex task type passes as it is. */
const taskTypes: Record<string, string> = {
  search_document: 'RETRIEVAL_DOCUMENT',
  search_query: 'RETRIEVAL_QUERY',
  document: 'RETRIEVAL_DOCUMENT',
  query: 'RETRIEVAL_QUERY',
  classification: 'CLASSIFICATION',
  clustering: 'CLUSTERING',
};

/**
 * The `:predict` bodies of an embeddings request, one per batch: `{instances: [{content,
 * task_type?}], parameters: {outputDimensionality?}}`. `dimensions` is `outputDimensionality`;
 * `input_type` becomes `task_type`. Text only: token arrays are refused.
 */
export function convertToVertexAiEmbeddingRequests(request: EmbeddingRequest, model: string): Array<{ texts: string[]; body: Record<string, unknown> }> {
  const inputs = typeof request.input === 'string' ? [request.input] : request.input;
  if (!inputs.every((input): input is string => typeof input === 'string')) {
    throw new SwitchboardError('invalid_request', 'vertex_ai embeds text only; token arrays are not accepted', { param: 'input' });
  }
  const inputType = typeof request.input_type === 'string' ? request.input_type : undefined;
  const taskType = inputType ? (taskTypes[inputType.toLowerCase()] ?? inputType.toUpperCase()) : undefined;
  const parameters: Record<string, unknown> = {};
  if (request.dimensions != null) parameters.outputDimensionality = request.dimensions;
  const size = vertexEmbeddingBatchSize(model);
  const requests: Array<{ texts: string[]; body: Record<string, unknown> }> = [];
  for (let start = 0; start < inputs.length; start += size) {
    const texts = inputs.slice(start, start + size);
    const instances = texts.map((content) => (taskType ? { content, task_type: taskType } : { content }));
    requests.push({ texts, body: Object.keys(parameters).length ? { instances, parameters } : { instances } });
  }
  return requests;
}
