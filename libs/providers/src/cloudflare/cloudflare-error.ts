import { parseRetryAfter, upstreamError } from '@switchboard/provider-utils';
import type { SwitchboardError } from '@switchboard/spec';
import { openAiCompatibleError } from '../openai-compatible/openai-compatible-error';
import type { CloudflareEnvelope } from './cloudflare-api-schemas';

/** Cloudflare's `{"success": false, "errors": [{"code", "message"}]}`, or else OpenAI's error shape. */
export function cloudflareError(status: number, bodyText: string, retryAfter?: string): SwitchboardError {
  const envelopeError = readEnvelopeError(bodyText);
  if (!envelopeError) return openAiCompatibleError('cloudflare', status, bodyText, retryAfter);
  return upstreamError({ provider: 'cloudflare', status, ...envelopeError, retryAfterSeconds: parseRetryAfter(retryAfter) });
}

export function readEnvelopeError(bodyText: string): { message?: string; providerCode?: string } | undefined {
  try {
    return envelopeErrorOf(JSON.parse(bodyText) as CloudflareEnvelope);
  } catch {
    return undefined;
  }
}

export function envelopeErrorOf(body: CloudflareEnvelope): { message?: string; providerCode?: string } | undefined {
  const first = Array.isArray(body.errors) ? body.errors[0] : undefined;
  if (!first) return undefined;
  return { message: body.errors?.map((error) => error.message).filter(Boolean).join('; ') || undefined, providerCode: first.code === undefined ? undefined : String(first.code) };
}
