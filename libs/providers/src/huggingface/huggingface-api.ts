import { SwitchboardError } from '@switchboard/spec';
import type { ResolvedDeployment } from '@switchboard/spec';
import type { OpenAiCompatiblePreset } from '../openai-compatible/openai-compatible-presets';

/** Inference Providers router: https://huggingface.co/docs/inference-providers/index */
export const huggingFaceRouterBaseUrl = 'https://router.huggingface.co/v1';
const hfInferenceBaseUrl = 'https://router.huggingface.co/hf-inference';

/**
 * The router and TGI both speak OpenAI's chat completions. The key is optional only for a
 * self-hosted TGI (`api_base` given); the router always needs a token. TGI documents `max_tokens`.
 * https://huggingface.co/docs/text-generation-inference/messages_api
 */
export const huggingFacePreset: OpenAiCompatiblePreset = {
  provider: 'huggingface',
  baseUrl: huggingFaceRouterBaseUrl,
  requiresApiKey: false,
  supportsEmbeddings: false,
  quirks: { maxTokensOnly: true },
};

/** The OpenAI base URL (ending in /v1) of a deployment: the router, or a TGI / Inference Endpoint. */
export function huggingFaceChatBase(deployment: ResolvedDeployment): string {
  if (!deployment.apiBase) {
    requireToken(deployment);
    return huggingFaceRouterBaseUrl;
  }
  const base = deployment.apiBase.replace(/\/+$/, '').replace(/\/chat\/completions$/, '');
  return base.endsWith('/v1') ? base : `${base}/v1`;
}

/**
 * Where feature extraction runs: the router's hf-inference pipeline by default
 * (https://huggingface.co/docs/inference-providers/tasks/feature-extraction), an `api_base` ending
 * in /hf-inference (a router base), or else an Inference Endpoint / TEI that takes `{inputs}` at its root.
 */
export function huggingFaceFeatureExtractionEndpoint(deployment: ResolvedDeployment): { url: string; headers: Record<string, string> } {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (deployment.apiKey) headers.authorization = `Bearer ${deployment.apiKey}`;
  const base = deployment.apiBase?.replace(/\/+$/, '');
  if (!base) requireToken(deployment);
  if (!base || base.endsWith('/hf-inference')) {
    const model = deployment.upstreamModel.split('/').map(encodeURIComponent).join('/');
    return { url: `${base ?? hfInferenceBaseUrl}/models/${model}/pipeline/feature-extraction`, headers };
  }
  return { url: base.replace(/\/v1$/, ''), headers };
}

function requireToken(deployment: ResolvedDeployment): void {
  if (deployment.apiKey) return;
  throw new SwitchboardError('authentication', `Deployment ${deployment.id} (huggingface) has no api_key (a Hugging Face token)`, {
    status: 500,
    retryable: false,
  });
}
