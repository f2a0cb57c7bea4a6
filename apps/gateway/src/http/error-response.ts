import type { ServerResponse } from 'node:http';
import { HttpException } from '@nestjs/common';
import { openAiErrorBody } from '@switchboard/api-openai';
import { SwitchboardError, quoteInput } from '@switchboard/spec';
import type { ErrorPayload } from '@switchboard/spec';

/** Turns anything thrown on the HTTP path into a Switchboard error. Unknown errors never leak their text. */
export function toSwitchboardError(error: unknown): SwitchboardError {
  if (error instanceof SwitchboardError) return error;
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status === 404) return new SwitchboardError('not_found', `Unknown route: ${quoteInput(error.message, 200)}`, { retryable: false });
    if (status === 413) return new SwitchboardError('payload_too_large', 'The request body is too large');
    if (status === 415) {
      return new SwitchboardError('invalid_request', 'The request body must be JSON (Content-Type: application/json)', {
        status: 415,
      });
    }
    return new SwitchboardError(status >= 500 ? 'internal' : 'invalid_request', error.message, { status });
  }
  const fastifyError = error as { statusCode?: number; code?: string; message?: string };
  if (fastifyError && typeof fastifyError.statusCode === 'number') {
    if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fastifyError.statusCode === 413) {
      return new SwitchboardError('payload_too_large', 'The request body is too large');
    }
    if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return new SwitchboardError('invalid_request', 'The request body must be JSON (Content-Type: application/json)', {
        status: 415,
      });
    }
    if (fastifyError.statusCode === 400) {
      return new SwitchboardError('invalid_request', 'The request body is not valid JSON', { param: 'body' });
    }
    if (fastifyError.statusCode < 500) {
      return new SwitchboardError('invalid_request', 'Invalid request', { status: fastifyError.statusCode });
    }
  }
  return SwitchboardError.from(error);
}

/** Headers that go with an error: `retry-after` where a retry makes sense, `x-should-retry` where it must not. */
export function errorHeaders(payload: ErrorPayload): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (payload.retryAfterSeconds !== undefined) headers['retry-after'] = String(payload.retryAfterSeconds);
  if (payload.code === 'budget_exceeded') headers['x-should-retry'] = 'false';
  return headers;
}

export function writeErrorResponse(
  response: ServerResponse,
  requestId: string,
  error: SwitchboardError,
  extraHeaders: Record<string, string> = {},
): void {
  if (response.headersSent || response.destroyed) return;
  const payload = error.toPayload();
  const body = JSON.stringify(openAiErrorBody(payload));
  response.writeHead(payload.status, {
    ...extraHeaders,
    ...errorHeaders(payload),
    'x-request-id': requestId,
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}
