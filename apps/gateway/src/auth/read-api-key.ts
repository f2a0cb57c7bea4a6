import type { IncomingHttpHeaders } from 'node:http';

/**
 * The key a client presents: `general_settings.litellm_key_header_name` when set and present,
 * else `Authorization: Bearer` (OpenAI), `x-api-key` (Anthropic) or `api-key` (Azure).
 */
export function readApiKey(headers: IncomingHttpHeaders, customHeader?: string): string | undefined {
  if (customHeader) {
    const custom = headers[customHeader.toLowerCase()];
    if (typeof custom === 'string' && custom.trim()) return custom.trim().replace(/^Bearer\s+/i, '');
  }
  const authorization = headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match) return match[1].trim();
    return authorization.trim();
  }
  const apiKey = headers['x-api-key'] ?? headers['api-key'];
  return typeof apiKey === 'string' && apiKey ? apiKey.trim() : undefined;
}
