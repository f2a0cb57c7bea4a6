import { estimateTokens, headerValue, mapConcurrently, postUpstream, readText, parseUpstreamJson } from '@switchboard/provider-utils';
import { SwitchboardError } from '@switchboard/spec';
import type { EmbeddingRequest, EmbeddingResult, ProviderCallOptions } from '@switchboard/spec';
import { bedrockModelId, signedBedrockRequest } from './bedrock-api';
import type { CohereBedrockEmbeddingResponse, TitanEmbeddingResponse } from './bedrock-embedding-api-schemas';
import { bedrockError } from './bedrock-error';
import {
  bedrockEmbeddingFamily,
  cohereBedrockBatchSize,
  convertToCohereBedrockEmbeddingRequest,
  convertToTitanEmbeddingRequest,
  embeddingTexts,
} from './convert-to-bedrock-embedding-request';

/** Titan embeds one text a call: at most this many calls run at once. */
const titanConcurrency = 8;

/**
 * Embeddings through InvokeModel (`POST /model/{modelId}/invoke`). Titan: one call per text,
 * usage from each answer's `inputTextTokenCount`. Cohere: batches of 96, usage from the
 * `x-amzn-bedrock-input-token-count` header, estimated (and flagged) when a batch lacks it.
 */
export async function embedWithBedrock(options: ProviderCallOptions<EmbeddingRequest>): Promise<EmbeddingResult> {
  const modelId = bedrockModelId(options.deployment.upstreamModel);
  const family = bedrockEmbeddingFamily(modelId);
  const texts = embeddingTexts(options.request);
  if (family === 'cohere') return embedWithCohere(options, modelId, texts);
  const answers = await mapConcurrently(texts, titanConcurrency, async (text) => {
    const { body } = await invokeModel(options, modelId, convertToTitanEmbeddingRequest(text, options.request, family));
    return parseUpstreamJson<TitanEmbeddingResponse>(body, 'bedrock');
  });
  const counts = answers.map((answer) => answer.inputTextTokenCount ?? 0);
  return {
    model: modelId,
    embeddings: answers.map((answer) => vector(answer.embedding ?? answer.embeddingsByType?.float)),
    usage: { inputTokens: counts.reduce((sum, count) => sum + count, 0), raw: { inputTextTokenCount: counts } },
  };
}

async function embedWithCohere(options: ProviderCallOptions<EmbeddingRequest>, modelId: string, texts: string[]): Promise<EmbeddingResult> {
  const batches: string[][] = [];
  for (let start = 0; start < texts.length; start += cohereBedrockBatchSize) batches.push(texts.slice(start, start + cohereBedrockBatchSize));
  const answers = await mapConcurrently(batches, 2, async (batch) => {
    const { body, inputTokenCount } = await invokeModel(options, modelId, convertToCohereBedrockEmbeddingRequest(batch, options.request));
    const parsed = parseUpstreamJson<CohereBedrockEmbeddingResponse>(body, 'bedrock');
    const vectors = Array.isArray(parsed.embeddings) ? parsed.embeddings : (parsed.embeddings?.float ?? []);
    if (vectors.length !== batch.length) throw new SwitchboardError('upstream_error', `bedrock returned ${vectors.length} embeddings for ${batch.length} texts`);
    return { vectors, inputTokenCount, batch };
  });
  const reported = answers.every((answer) => answer.inputTokenCount !== undefined);
  const inputTokens = reported
    ? answers.reduce((sum, answer) => sum + (answer.inputTokenCount ?? 0), 0)
    : texts.reduce((sum, text) => sum + estimateTokens(text), 0);
  return {
    model: modelId,
    embeddings: answers.flatMap((answer) => answer.vectors.map(vector)),
    usage: { inputTokens, raw: reported ? { inputTokenCount: inputTokens } : { estimated: true } },
  };
}

async function invokeModel(
  options: ProviderCallOptions<EmbeddingRequest>,
  modelId: string,
  payload: Record<string, unknown>,
): Promise<{ body: string; inputTokenCount?: number }> {
  const text = JSON.stringify(payload);
  const signed = await signedBedrockRequest(options.deployment, `/model/${encodeURIComponent(modelId)}/invoke`, text);
  const response = await postUpstream({
    url: signed.url,
    headers: signed.headers,
    body: text,
    deployment: options.deployment,
    signal: options.signal,
    stream: false,
    toError: (status, errorText, headers) => bedrockError(status, headerValue(headers, 'x-amzn-errortype'), errorText),
  });
  const count = Number(headerValue(response.headers, 'x-amzn-bedrock-input-token-count'));
  return { body: await readText(response, options.signal), inputTokenCount: Number.isFinite(count) && count >= 0 ? count : undefined };
}

function vector(values: number[] | undefined): number[] {
  if (!Array.isArray(values)) throw new SwitchboardError('upstream_error', 'bedrock returned an answer without an embedding');
  return values;
}
