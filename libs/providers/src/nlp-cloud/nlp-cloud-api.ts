import { SwitchboardError } from '@switchboard/spec';
import type { ResolvedDeployment } from '@switchboard/spec';

/** GPU models of NLP Cloud's API; `api_base` may name the CPU root (…/v1) or a language (…/v1/gpu/fr). */
export const nlpCloudDefaultBaseUrl = 'https://api.nlpcloud.io/v1/gpu';

export type NlpCloudEndpoint = 'chatbot' | 'generation';

/** The chatbot endpoint, or the generation endpoint when the deployment sets `nlp_cloud_endpoint: generation`. */
export function nlpCloudEndpointOf(deployment: ResolvedDeployment): NlpCloudEndpoint {
  return deployment.params.nlp_cloud_endpoint === 'generation' ? 'generation' : 'chatbot';
}

/**
 * POST {base}/{model}/{chatbot|generation} with `Authorization: Token <key>`
 * (https://docs.nlpcloud.com, and NLP Cloud's own clients).
 */
export function nlpCloudRequestTarget(deployment: ResolvedDeployment, endpoint: NlpCloudEndpoint): { url: string; headers: Record<string, string> } {
  if (!deployment.apiKey) {
    throw new SwitchboardError('authentication', `Deployment ${deployment.id} (nlp_cloud) has no api_key`, { status: 500, retryable: false });
  }
  const base = (deployment.apiBase ?? nlpCloudDefaultBaseUrl).replace(/\/+$/, '');
  return {
    url: `${base}/${deployment.upstreamModel}/${endpoint}`,
    headers: { 'content-type': 'application/json', authorization: `Token ${deployment.apiKey}` },
  };
}
