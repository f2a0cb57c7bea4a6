import { SwitchboardError } from '@switchboard/spec';
import type { ResolvedDeployment } from '@switchboard/spec';

export const anthropicDefaultBaseUrl = 'https://api.anthropic.com';

/** URL and headers of a Messages call; the key goes only in `x-api-key`. `requestBeta` is the client's `anthropic-beta`. */
export function anthropicEndpoint(deployment: ResolvedDeployment, requestBeta?: string): { url: string; headers: Record<string, string> } {
  if (!deployment.apiKey) {
    throw new SwitchboardError('authentication', `Deployment ${deployment.id} (anthropic) has no api_key`, { status: 500, retryable: false });
  }
  const base = (deployment.apiBase ?? anthropicDefaultBaseUrl).replace(/\/+$/, '').replace(/\/v1$/, '');
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-api-key': deployment.apiKey,
    'anthropic-version': typeof deployment.params.anthropic_version === 'string' ? deployment.params.anthropic_version : '2023-06-01',
  };
  const betas = [deployment.params.anthropic_beta, requestBeta].filter((value): value is string => typeof value === 'string' && value !== '');
  if (betas.length > 0) headers['anthropic-beta'] = betas.join(',');
  return { url: `${base}/v1/messages`, headers };
}
