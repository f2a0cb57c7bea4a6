import type { IncomingHttpHeaders } from 'node:http';

/** The key a client presents: `Authorization: Bearer` (OpenAI), `x-api-key` (Anthropic) or `api-key` (Azure). */
export function readApiKey(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match) return match[1].trim();
    return authorization.trim();
  }
  const apiKey = headers['x-api-key'] ?? headers['api-key'];
  return typeof apiKey === 'string' && apiKey ? apiKey.trim() : undefined;
}
