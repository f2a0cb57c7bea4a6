import { parseRetryAfter, upstreamError } from '@switchboard/provider-utils';
import type { SwitchboardError } from '@switchboard/spec';
import type { OpenAiErrorBody } from './openai-compatible-api-schemas';

export function openAiCompatibleError(
  provider: string,
  status: number,
  bodyText: string,
  retryAfter?: string,
  retryAfterMs?: string,
): SwitchboardError {
  const { message, code } = readErrorBody(bodyText);
  return upstreamError({
    provider,
    status,
    message,
    providerCode: code,
    retryAfterSeconds: parseRetryAfter(retryAfter, retryAfterMs),
  });
}

export function readErrorBody(bodyText: string): { message?: string; code?: string } {
  try {
    const body = JSON.parse(bodyText) as OpenAiErrorBody;
    if (typeof body.error === 'string') return { message: body.error };
    const code = body.error?.code ?? body.error?.type;
    return { message: body.error?.message ?? body.message, code: code === null || code === undefined ? undefined : String(code) };
  } catch {
    return { message: bodyText.slice(0, 500) || undefined };
  }
}
