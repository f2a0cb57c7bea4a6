import { parseRetryAfter, upstreamError } from '@switchboard/provider-utils';
import type { SwitchboardError } from '@switchboard/spec';
import type { AlephAlphaErrorBody } from './aleph-alpha-api-schemas';

/** Native endpoints answer errors as `{"error": "...", "code": "..."}`; anything else is read as text. */
export function alephAlphaError(status: number, bodyText: string, retryAfter?: string): SwitchboardError {
  const { message, code } = readAlephAlphaError(bodyText);
  return upstreamError({ provider: 'aleph_alpha', status, message, providerCode: code, retryAfterSeconds: parseRetryAfter(retryAfter) });
}

export function readAlephAlphaError(bodyText: string): { message?: string; code?: string } {
  try {
    const body = JSON.parse(bodyText) as AlephAlphaErrorBody;
    if (typeof body.error === 'string') return { message: body.error, code: body.code };
    return { message: body.error?.message ?? body.message, code: body.error?.code ?? body.code };
  } catch {
    return { message: bodyText.slice(0, 500) || undefined };
  }
}
