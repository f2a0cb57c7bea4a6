import { headerValue, mapConcurrently, postUpstream, readText, parseUpstreamJson } from '@switchboard/provider-utils';
import { SwitchboardError } from '@switchboard/spec';
import type { EmbeddingRequest, EmbeddingResult, ProviderCallOptions } from '@switchboard/spec';
import { geminiError } from '../gemini/gemini-error';
import { convertToVertexAiEmbeddingRequests } from './convert-to-vertex-ai-embedding-request';
import { vertexAccessToken, vertexUrl } from './vertex-ai-api';
import type { VertexEmbeddingPrediction, VertexEmbeddingResponse } from './vertex-ai-embedding-api-schemas';

/** gemini-embedding models take one text a call: at most this many calls run at once. */
const concurrency = 4;

/**
 * Text embeddings through the Google publisher model's `:predict` (text-embedding-005,
 * text-multilingual-embedding-002, gemini-embedding-001 ...). Usage is the sum of each
 * prediction's `statistics.token_count`.
 */
export async function embedWithVertexAi(options: ProviderCallOptions<EmbeddingRequest>): Promise<EmbeddingResult> {
  const { deployment } = options;
  const model = deployment.upstreamModel;
  const calls = convertToVertexAiEmbeddingRequests(options.request, model);
  const url = vertexUrl(deployment, 'predict');
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${await vertexAccessToken(deployment)}` };
  const answers = await mapConcurrently(calls, concurrency, async (call) => {
    const response = await postUpstream({
      url,
      headers,
      body: call.body,
      deployment,
      signal: options.signal,
      stream: false,
      toError: (status, text, responseHeaders) => geminiError(status, text, headerValue(responseHeaders, 'retry-after')),
    });
    const parsed = parseUpstreamJson<VertexEmbeddingResponse>(await readText(response, options.signal), 'vertex_ai');
    const predictions = parsed.predictions ?? [];
    if (predictions.length !== call.texts.length) {
      throw new SwitchboardError('upstream_error', `vertex_ai returned ${predictions.length} embeddings for ${call.texts.length} texts`);
    }
    return predictions;
  });
  const predictions = answers.flat();
  const tokenCounts = predictions.map(tokenCount);
  return {
    model,
    embeddings: predictions.map((prediction) => {
      const values = prediction.embeddings?.values;
      if (!Array.isArray(values)) throw new SwitchboardError('upstream_error', 'vertex_ai returned a prediction without embeddings.values');
      return values;
    }),
    usage: { inputTokens: tokenCounts.reduce((sum, count) => sum + count, 0), raw: { token_count: tokenCounts, truncated: predictions.some((prediction) => prediction.embeddings?.statistics?.truncated === true) } },
  };
}

function tokenCount(prediction: VertexEmbeddingPrediction): number {
  const statistics = prediction.embeddings?.statistics;
  return statistics?.token_count ?? statistics?.tokenCount ?? 0;
}
