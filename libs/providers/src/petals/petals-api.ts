/** The public Petals chat backend; `api_base` points at a self-hosted one (github.com/petals-infra/chat.petals.dev). */
export const petalsDefaultBaseUrl = 'https://chat.petals.dev';

/**
 * POST {base}/api/v1/generate. The backend reads Flask's `request.values`, i.e. query or form
 * fields, so the body is form-encoded (http_api.py). It needs no key; one given is sent as a
 * Bearer token for a proxy in front of a self-hosted backend.
 */
export function petalsEndpoint(apiBase: string | undefined, apiKey: string | undefined): { url: string; headers: Record<string, string> } {
  return {
    url: `${(apiBase ?? petalsDefaultBaseUrl).replace(/\/+$/, '')}/api/v1/generate`,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
    },
  };
}
