/**
 * Removes credentials from text that may reach a client, a log or a span:
 * bearer tokens, OpenAI / Anthropic style keys, AWS access key ids, Google API keys and `key=` query values.
 */
const secretPatterns: RegExp[] = [
  /\b(sk|pk|rk)-[A-Za-z0-9_-]{8,}/g,
  /\bsk-ant-[A-Za-z0-9_-]{8,}/g,
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\b(AKIA|ASIA)[A-Z0-9]{12,}\b/g,
  /\bAIza[0-9A-Za-z_-]{20,}/g,
  /([?&](key|api_key|api-key|token|access_token)=)[^&\s"]+/gi,
];

export function redactSecrets(text: string): string {
  let result = text;
  for (const pattern of secretPatterns) {
    result = result.replace(pattern, (match: string, ...groups: unknown[]) => {
      const prefix = typeof groups[0] === 'string' && match.startsWith(groups[0]) && groups[0].includes('=') ? groups[0] : '';
      return `${prefix}[REDACTED]`;
    });
  }
  return result;
}
