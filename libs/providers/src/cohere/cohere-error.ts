import { parseRetryAfter, upstreamError } from '@switchboard/provider-utils';
import type { SwitchboardError } from '@switchboard/spec';
import type { CohereErrorBody } from './cohere-api-schemas';

/**
 * Cohere errors are `{"id": "...", "message": "..."}`. Cohere also answers 498 for an invalid
 * token (https://docs.cohere.com/reference/errors), which means the same as 401 here.
 */
export function cohereError(status: number, bodyText: string, retryAfter?: string): SwitchboardError {
  return upstreamError({
    provider: 'cohere',
    status: status === 498 ? 401 : status,
    message: readCohereErrorMessage(bodyText),
    retryAfterSeconds: parseRetryAfter(retryAfter),
  });
}

function readCohereErrorMessage(bodyText: string): string | undefined {
  try {
    const body = JSON.parse(bodyText) as CohereErrorBody;
    if (typeof body.message === 'string') return body.message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return bodyText.slice(0, 500) || undefined;
}
