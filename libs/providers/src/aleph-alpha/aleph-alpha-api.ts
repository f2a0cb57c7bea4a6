import { SwitchboardError } from '@switchboard/spec';
import type { ResolvedDeployment } from '@switchboard/spec';
import type { OpenAiCompatiblePreset } from '../openai-compatible/openai-compatible-presets';

export const alephAlphaDefaultBaseUrl = 'https://api.aleph-alpha.com';

/**
 * Aleph Alpha documents an OpenAI-compatible `POST /chat/completions` (Bearer token):
 * https://docs.aleph-alpha.com/api/pharia-inference/4.1.0/chat-completions. It knows `max_tokens`
 * and `stream_options.include_usage`.
 */
export const alephAlphaPreset: OpenAiCompatiblePreset = {
  provider: 'aleph_alpha',
  baseUrl: alephAlphaDefaultBaseUrl,
  requiresApiKey: true,
  supportsEmbeddings: false,
  quirks: { maxTokensOnly: true },
};

/**
 * Whether the deployment asks for the text-completion endpoint (`POST /complete`) instead of chat,
 * for models that are not chat-capable: `aleph_alpha_endpoint: complete` in its params.
 */
export function usesAlephAlphaComplete(deployment: ResolvedDeployment): boolean {
  return deployment.params.aleph_alpha_endpoint === 'complete';
}

/** The URL and headers of a native call; the token travels only in the Authorization header. */
export function alephAlphaEndpoint(
  deployment: ResolvedDeployment,
  path: '/complete' | '/semantic_embed',
): { url: string; headers: Record<string, string> } {
  if (!deployment.apiKey) {
    throw new SwitchboardError('authentication', `Deployment ${deployment.id} (aleph_alpha) has no api_key`, { status: 500, retryable: false });
  }
  const base = (deployment.apiBase ?? alephAlphaDefaultBaseUrl).replace(/\/+$/, '');
  return {
    url: `${base}${path}`,
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${deployment.apiKey}` },
  };
}
