import { SwitchboardError } from '@switchboard/spec';
import type { ResolvedDeployment } from '@switchboard/spec';

export const anthropicDefaultBaseUrl = 'https://api.anthropic.com';

/** URL and headers of a Messages call; the key goes only in `x-api-key`. */
export function anthropicEndpoint(deployment: ResolvedDeployment): { url: string; headers: Record<string, string> } {
  if (!deployment.apiKey) {
    throw new SwitchboardError('authentication', `Deployment ${deployment.id} (anthropic) has no api_key`, { status: 500, retryable: false });
  }
  const base = (deployment.apiBase ?? anthropicDefaultBaseUrl).replace(/\/+$/, '').replace(/\/v1$/, '');
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-api-key': deployment.apiKey,
    'anthropic-version': typeof deployment.params.anthropic_version === 'string' ? deployment.params.anthropic_version : '2023-06-01',
  };
  if (typeof deployment.params.anthropic_beta === 'string') headers['anthropic-beta'] = deployment.params.anthropic_beta;
  return { url: `${base}/v1/messages`, headers };
}
