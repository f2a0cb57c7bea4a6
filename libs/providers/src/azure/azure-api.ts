import { SwitchboardError } from '@switchboard/spec';
import type { ResolvedDeployment } from '@switchboard/spec';
import type { OpenAiCompatiblePreset } from '../openai-compatible';

/** Azure OpenAI's GA data-plane version, used when a deployment sets no `api_version`. */
export const azureDefaultApiVersion = '2024-10-21';

function credentials(deployment: ResolvedDeployment, provider: string): Record<string, string> {
  const token = deployment.params.azure_ad_token;
  // Entra ID token as a bearer; else the resource key in `api-key` (never in the URL).
  if (typeof token === 'string' && token) return { authorization: `Bearer ${token}` };
  if (deployment.apiKey) return { 'api-key': deployment.apiKey };
  throw new SwitchboardError('authentication', `Deployment ${deployment.id} (${provider}) has no api_key or azure_ad_token`, { status: 500, retryable: false });
}

function requireBase(deployment: ResolvedDeployment, provider: string): string {
  if (!deployment.apiBase) throw new SwitchboardError('invalid_request', `Deployment ${deployment.id} (${provider}) needs api_base`, { status: 500, retryable: false });
  return deployment.apiBase.replace(/\/+$/, '');
}

/**
 * Azure OpenAI: `{api_base}/openai/deployments/{deployment}/{path}?api-version=...`.
 * https://learn.microsoft.com/azure/ai-services/openai/reference
 */
export function azureEndpoint(preset: OpenAiCompatiblePreset, deployment: ResolvedDeployment, path: '/chat/completions' | '/embeddings') {
  const base = requireBase(deployment, preset.provider).replace(/\/openai$/, '');
  const version = encodeURIComponent(deployment.apiVersion ?? azureDefaultApiVersion);
  return {
    url: `${base}/openai/deployments/${encodeURIComponent(deployment.upstreamModel)}${path}?api-version=${version}`,
    headers: { 'content-type': 'application/json', accept: 'application/json', ...credentials(deployment, preset.provider) },
  };
}

/**
 * Azure AI Foundry model inference: `{api_base}/{path}?api-version=...` (the model in the body).
 * https://learn.microsoft.com/azure/ai-foundry/model-inference/reference/reference-model-inference-api
 */
export function azureAiEndpoint(preset: OpenAiCompatiblePreset, deployment: ResolvedDeployment, path: '/chat/completions' | '/embeddings') {
  const base = requireBase(deployment, preset.provider);
  const version = deployment.apiVersion ? `?api-version=${encodeURIComponent(deployment.apiVersion)}` : '';
  return {
    url: `${base}${path}${version}`,
    headers: { 'content-type': 'application/json', accept: 'application/json', ...credentials(deployment, preset.provider) },
  };
}
