import { parseRetryAfter, upstreamError } from '@switchboard/provider-utils';
import type { SwitchboardError } from '@switchboard/spec';
import type { VoyageErrorBody } from './voyage-api-schemas';

/** https://docs.voyageai.com/docs/error-codes: `{"detail": "..."}` with the HTTP status. */
export function voyageError(status: number, bodyText: string, retryAfter?: string): SwitchboardError {
  let message: string | undefined;
  try {
    const detail = (JSON.parse(bodyText) as VoyageErrorBody).detail;
    message = typeof detail === 'string' ? detail : detail === undefined ? undefined : JSON.stringify(detail);
  } catch {
    message = bodyText.slice(0, 500) || undefined;
  }
  return upstreamError({ provider: 'voyage', status, message, retryAfterSeconds: parseRetryAfter(retryAfter) });
}
