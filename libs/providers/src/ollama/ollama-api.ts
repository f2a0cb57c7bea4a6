import type { ResolvedDeployment } from '@switchboard/spec';

/** A local Ollama server, as Ollama itself defaults to. */
export const ollamaDefaultBaseUrl = 'http://127.0.0.1:11434';

/**
 * The URL and headers of one native call. A key is optional (local servers have none); when set
 * (Ollama's cloud, an authenticating proxy) it goes in the Authorization header only.
 */
export function ollamaEndpoint(
  deployment: ResolvedDeployment,
  path: '/api/chat' | '/api/embed',
): { url: string; headers: Record<string, string> } {
  // LiteLLM users often point api_base at the OpenAI-compatible /v1 or at /api; the native path is added here.
  const base = (deployment.apiBase ?? ollamaDefaultBaseUrl).replace(/\/+$/, '').replace(/\/(v1|api)$/, '');
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (deployment.apiKey) headers.authorization = `Bearer ${deployment.apiKey}`;
  return { url: `${base}${path}`, headers };
}
