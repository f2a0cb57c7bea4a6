import { SwitchboardError } from '@switchboard/spec';
import type { ResolvedDeployment } from '@switchboard/spec';

export const voyageDefaultBaseUrl = 'https://api.voyageai.com/v1';

/** The embeddings URL and headers; the key travels only in the Authorization header. */
export function voyageEmbeddingsEndpoint(deployment: ResolvedDeployment): { url: string; headers: Record<string, string> } {
  if (!deployment.apiKey) {
    throw new SwitchboardError('authentication', `Deployment ${deployment.id} (voyage) has no api_key`, { status: 500, retryable: false });
  }
  const base = (deployment.apiBase ?? voyageDefaultBaseUrl).replace(/\/+$/, '').replace(/\/embeddings$/, '');
  return {
    url: `${base}/embeddings`,
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${deployment.apiKey}` },
  };
}
