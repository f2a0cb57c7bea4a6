import { SwitchboardError } from '@switchboard/spec';
import type { ResolvedDeployment } from '@switchboard/spec';

export const geminiDefaultBaseUrl = 'https://generativelanguage.googleapis.com';

/** URL and headers of a Gemini call: the key goes in `x-goog-api-key`, never in the URL. */
export function geminiEndpoint(deployment: ResolvedDeployment, method: 'generateContent' | 'streamGenerateContent' | 'batchEmbedContents'): { url: string; headers: Record<string, string> } {
  if (!deployment.apiKey) throw new SwitchboardError('authentication', `Deployment ${deployment.id} (gemini) has no api_key`, { status: 500, retryable: false });
  const base = (deployment.apiBase ?? geminiDefaultBaseUrl).replace(/\/+$/, '').replace(/\/v1beta$/, '');
  const query = method === 'streamGenerateContent' ? '?alt=sse' : '';
  return {
    url: `${base}/v1beta/models/${encodeURIComponent(deployment.upstreamModel)}:${method}${query}`,
    headers: { 'content-type': 'application/json', 'x-goog-api-key': deployment.apiKey },
  };
}
