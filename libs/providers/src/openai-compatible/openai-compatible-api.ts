import { SwitchboardError } from '@switchboard/spec';
import type { ResolvedDeployment } from '@switchboard/spec';
import type { OpenAiCompatiblePreset } from './openai-compatible-presets';

/** The endpoint and headers of one call; the key goes in the Authorization header only. */
export function openAiCompatibleEndpoint(
  preset: OpenAiCompatiblePreset,
  deployment: ResolvedDeployment,
  path: '/chat/completions' | '/embeddings',
): { url: string; headers: Record<string, string> } {
  const base = deployment.apiBase ?? preset.baseUrl;
  if (!base) {
    throw new SwitchboardError('invalid_request', `Deployment ${deployment.id} (${preset.provider}) needs api_base`, {
      status: 500,
      retryable: false,
    });
  }
  if (preset.requiresApiKey && !deployment.apiKey) {
    throw new SwitchboardError('authentication', `Deployment ${deployment.id} (${preset.provider}) has no api_key`, {
      status: 500,
      retryable: false,
    });
  }
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (deployment.apiKey) headers.authorization = `Bearer ${deployment.apiKey}`;
  const organization = deployment.params.organization;
  if (typeof organization === 'string') headers['openai-organization'] = organization;
  const extraHeaders = deployment.params.extra_headers;
  if (extraHeaders && typeof extraHeaders === 'object') {
    for (const [name, value] of Object.entries(extraHeaders as Record<string, unknown>)) {
      if (typeof value === 'string') headers[name.toLowerCase()] = value;
    }
  }
  return { url: `${base.replace(/\/+$/, '')}${path}`, headers };
}
