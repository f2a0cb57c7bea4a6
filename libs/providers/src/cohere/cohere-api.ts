import { SwitchboardError } from '@switchboard/spec';
import type { ResolvedDeployment } from '@switchboard/spec';

/** Cohere's API origin; `api_base` replaces it (private deployments, proxies). */
export const cohereDefaultBaseUrl = 'https://api.cohere.com';

/** The URL and headers of one v2 call; the key travels only in the Authorization header. */
export function cohereEndpoint(
  deployment: ResolvedDeployment,
  path: '/v2/chat' | '/v2/embed',
): { url: string; headers: Record<string, string> } {
  if (!deployment.apiKey) {
    throw new SwitchboardError('authentication', `Deployment ${deployment.id} (cohere) has no api_key`, {
      status: 500,
      retryable: false,
    });
  }
  // LiteLLM-style bases may already end in /v1 or /v2; the version comes from the path.
  const base = (deployment.apiBase ?? cohereDefaultBaseUrl).replace(/\/+$/, '').replace(/\/v[12]$/, '');
  return {
    url: `${base}${path}`,
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: `Bearer ${deployment.apiKey}`,
      'x-client-name': 'switchboard',
    },
  };
}
