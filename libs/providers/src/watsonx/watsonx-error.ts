import { parseRetryAfter, upstreamError } from '@switchboard/provider-utils';
import type { SwitchboardError } from '@switchboard/spec';
import type { WatsonxErrorBody } from './watsonx-api-schemas';

/**
 * watsonx.ai errors are `{"errors": [{"code", "message", "more_info"}], "trace", "status_code"}`;
 * the first error's code is kept as the provider code.
 */
export function watsonxError(status: number, bodyText: string, retryAfter?: string): SwitchboardError {
  const { message, code } = readWatsonxError(bodyText);
  return upstreamError({ provider: 'watsonx', status, message, providerCode: code, retryAfterSeconds: parseRetryAfter(retryAfter) });
}

/** An error event inside a chat stream, with the status it names (500 when it names none). */
export function watsonxStreamError(body: WatsonxErrorBody): SwitchboardError {
  const status = typeof body.status_code === 'number' && body.status_code >= 400 ? body.status_code : 500;
  return upstreamError({
    provider: 'watsonx',
    status,
    message: body.errors?.map((error) => error.message).filter(Boolean).join('; ') || undefined,
    providerCode: body.errors?.[0]?.code,
  });
}

function readWatsonxError(bodyText: string): { message?: string; code?: string } {
  try {
    const body = JSON.parse(bodyText) as WatsonxErrorBody;
    if (body.errors?.length) {
      return { message: body.errors.map((error) => error.message).filter(Boolean).join('; ') || undefined, code: body.errors[0].code };
    }
  } catch {
    // not JSON: the raw text below
  }
  return { message: bodyText.slice(0, 500) || undefined };
}
