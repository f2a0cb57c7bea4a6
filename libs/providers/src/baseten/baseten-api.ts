import { SwitchboardError } from '@switchboard/spec';
import type { ResolvedDeployment } from '@switchboard/spec';
import { openAiCompatibleEndpoint } from '../openai-compatible/openai-compatible-api';
import type { OpenAiCompatiblePreset } from '../openai-compatible/openai-compatible-presets';

/**
 * Baseten Model APIs are OpenAI-compatible at https://inference.baseten.co/v1
 * (https://docs.baseten.co/quickstart). Dedicated deployments answer at
 * https://model-{id}.api.baseten.co/environments/production/... with the key sent as
 * `Authorization: Api-Key <key>` (https://docs.baseten.co/inference/calling-your-model).
 */
export const basetenPreset: OpenAiCompatiblePreset = {
  provider: 'baseten',
  baseUrl: 'https://inference.baseten.co/v1',
  requiresApiKey: true,
  // Embedding deployments (BEI) expose /v1/embeddings on their dedicated sync URL.
  supportsEmbeddings: true,
};

/** A Baseten model id of a dedicated deployment, e.g. `abcd1234` (as LiteLLM routes them). */
const dedicatedModelId = /^[a-z0-9]{8}$/;

/** Whether the deployment names a dedicated model's `/predict` URL rather than an OpenAI-compatible base. */
export function isBasetenPredictUrl(deployment: ResolvedDeployment): boolean {
  return /\/(async_)?predict\/?$/.test(deployment.apiBase ?? '');
}

/**
 * The OpenAI-compatible endpoint: Model APIs by default, or a dedicated deployment's
 * OpenAI-compatible `sync/v1` route when the model is an 8-character deployment id.
 */
export function basetenEndpoint(
  preset: OpenAiCompatiblePreset,
  deployment: ResolvedDeployment,
  path: '/chat/completions' | '/embeddings',
): { url: string; headers: Record<string, string> } {
  const apiBase =
    deployment.apiBase ??
    (dedicatedModelId.test(deployment.upstreamModel)
      ? `https://model-${deployment.upstreamModel}.api.baseten.co/environments/production/sync/v1`
      : undefined);
  const endpoint = openAiCompatibleEndpoint(preset, { ...deployment, apiBase }, path);
  if (isDedicatedHost(endpoint.url)) endpoint.headers.authorization = `Api-Key ${deployment.apiKey}`;
  return endpoint;
}

/** The URL and headers of a dedicated deployment's `/predict` call. */
export function basetenPredictEndpoint(deployment: ResolvedDeployment): { url: string; headers: Record<string, string> } {
  if (!deployment.apiKey) {
    throw new SwitchboardError('authentication', `Deployment ${deployment.id} (baseten) has no api_key`, { status: 500, retryable: false });
  }
  return {
    url: deployment.apiBase ?? '',
    headers: { 'content-type': 'application/json', authorization: `Api-Key ${deployment.apiKey}` },
  };
}

function isDedicatedHost(url: string): boolean {
  return /^https:\/\/model-[a-z0-9]+\.api\.baseten\.co\//.test(url);
}
