import { GoogleAuth } from 'google-auth-library';
import { SwitchboardError } from '@switchboard/spec';
import type { ResolvedDeployment } from '@switchboard/spec';

const scope = 'https://www.googleapis.com/auth/cloud-platform';
const clients = new Map<string, GoogleAuth>();

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Claude models on Vertex are served by Anthropic's publisher endpoint. */
export function isClaude(model: string): boolean {
  return model.startsWith('claude');
}

/**
 * The bearer token of a call: `vertex_access_token` (or `api_key`) as given, else a token for the
 * service account in `vertex_credentials` (JSON text or object), else Application Default Credentials.
 * https://cloud.google.com/vertex-ai/docs/authentication
 */
export async function vertexAccessToken(deployment: ResolvedDeployment): Promise<string> {
  const direct = text(deployment.params.vertex_access_token) ?? deployment.apiKey;
  if (direct) return direct;
  const raw = deployment.params.vertex_credentials;
  const credentials = typeof raw === 'string' ? (JSON.parse(raw) as Record<string, unknown>) : (raw as Record<string, unknown> | undefined);
  const cacheKey = credentials ? String(credentials.client_email ?? 'service-account') : 'adc';
  let client = clients.get(cacheKey);
  if (!client) {
    client = new GoogleAuth({ scopes: [scope], ...(credentials ? { credentials } : {}) });
    clients.set(cacheKey, client);
  }
  const token = await client.getAccessToken();
  if (!token) throw new SwitchboardError('authentication', `Deployment ${deployment.id} (vertex_ai): no Google access token`, { status: 500, retryable: false });
  return token;
}

/**
 * `https://{location}-aiplatform.googleapis.com/v1/projects/{project}/locations/{location}/publishers/{google|anthropic}/models/{model}:{method}`
 * (`global` uses `aiplatform.googleapis.com`); `api_base` replaces the host.
 */
export function vertexUrl(deployment: ResolvedDeployment, method: string): string {
  const project = text(deployment.params.vertex_project);
  if (!project) throw new SwitchboardError('invalid_request', `Deployment ${deployment.id} (vertex_ai) needs vertex_project`, { status: 500, retryable: false });
  const location = text(deployment.params.vertex_location) ?? 'us-central1';
  const host = deployment.apiBase?.replace(/\/+$/, '') ?? (location === 'global' ? 'https://aiplatform.googleapis.com' : `https://${location}-aiplatform.googleapis.com`);
  const publisher = isClaude(deployment.upstreamModel) ? 'anthropic' : 'google';
  return `${host}/v1/projects/${encodeURIComponent(project)}/locations/${encodeURIComponent(location)}/publishers/${publisher}/models/${encodeURIComponent(deployment.upstreamModel)}:${method}`;
}
