import { parseRetryAfter, upstreamError } from '@switchboard/provider-utils';
import type { SwitchboardError } from '@switchboard/spec';
import type { AnthropicErrorBody } from './anthropic-api-schemas';

/** https://docs.claude.com/en/api/errors (529 overloaded_error is retryable, as a 503). */
export function anthropicError(status: number, bodyText: string, retryAfter?: string): SwitchboardError {
  let body: AnthropicErrorBody = {};
  try {
    body = JSON.parse(bodyText) as AnthropicErrorBody;
  } catch {
    body = { error: { message: bodyText.slice(0, 500) } };
  }
  return upstreamError({
    provider: 'anthropic',
    status,
    message: body.error?.message,
    providerCode: body.error?.type,
    retryAfterSeconds: parseRetryAfter(retryAfter),
  });
}

/** An `event: error` inside a 200 stream, by its error type. */
export function anthropicStreamError(type: string, message: string): SwitchboardError {
  const status = type === 'overloaded_error' ? 529 : type === 'rate_limit_error' ? 429 : type === 'invalid_request_error' ? 400 : 500;
  return upstreamError({ provider: 'anthropic', status, message, providerCode: type });
}
