import { describe, expect, it } from 'vitest';
import { SwitchboardError, statusForErrorCode } from './errors';

describe('SwitchboardError', () => {
  it('round-trips through its payload', () => {
    const error = new SwitchboardError('rate_limited', 'slow down', { retryAfterSeconds: 7, providerCode: 'requests' });
    const copy = SwitchboardError.fromPayload(JSON.parse(JSON.stringify(error.toPayload())));
    expect(copy).toMatchObject({ code: 'rate_limited', status: 429, isRetryable: true, retryAfterSeconds: 7, providerCode: 'requests' });
  });

  it('never exposes the text of an unknown error', () => {
    const wrapped = SwitchboardError.from(new Error('connection string postgres://user:secret@db'));
    expect(wrapped.code).toBe('internal');
    expect(wrapped.message).toBe('Internal error');
  });

  it.each([
    ['invalid_request', 400],
    ['authentication', 401],
    ['model_not_found', 404],
    ['payload_too_large', 413],
    ['rate_limited', 429],
    ['budget_exceeded', 400],
    ['upstream_error', 502],
    ['no_worker', 503],
    ['upstream_timeout', 504],
  ] as const)('%s means HTTP %i', (code, status) => {
    expect(statusForErrorCode(code)).toBe(status);
  });
});
