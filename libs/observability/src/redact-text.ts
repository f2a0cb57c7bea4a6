/**
 * Masks credentials inside free text (prompts and answers kept with `store_prompts_in_spend_logs`):
 * provider and virtual keys (`sk-...`, `sk-ant-...`), AWS access key ids, Google API keys, bearer
 * tokens and JWTs. Patterns, not a list of known values: a key pasted into a prompt is caught too.
 */
const patterns: RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{16,}/g,
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g,
  /\bAIza[0-9A-Za-z_-]{35}\b/g,
  /\b[Bb]earer\s+[A-Za-z0-9._~+/=-]{16,}/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g,
];

export function redactSecretsInText(text: string): string {
  let redacted = text;
  for (const pattern of patterns) redacted = redacted.replace(pattern, '[REDACTED]');
  return redacted;
}

/** The same over any JSON value (message lists), strings redacted wherever they are. */
export function redactSecretsInJson(value: unknown): unknown {
  if (typeof value === 'string') return redactSecretsInText(value);
  if (Array.isArray(value)) return value.map(redactSecretsInJson);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, redactSecretsInJson(item)]));
  return value;
}
