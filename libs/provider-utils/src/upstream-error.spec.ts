import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redact';
import { parseRetryAfter, upstreamError } from './upstream-error';

describe('upstreamError', () => {
  it.each([
    [400, 'bad field', 'invalid_request', 400, false],
    [400, "This model's maximum context length is 8192 tokens", 'context_length_exceeded', 400, false],
    [400, 'Output blocked by content filtering policy', 'content_policy', 400, false],
    [401, 'Incorrect API key', 'authentication', 401, false],
    [403, 'forbidden', 'permission_denied', 403, false],
    [404, 'no such model', 'not_found', 404, false],
    [422, 'unprocessable', 'invalid_request', 422, false],
    [429, 'rate limited', 'rate_limited', 429, true],
    [500, 'boom', 'upstream_error', 502, true],
    [502, 'bad gateway', 'upstream_error', 502, true],
    [503, 'unavailable', 'upstream_unavailable', 503, true],
    [529, 'overloaded', 'upstream_unavailable', 503, true],
    [504, 'gateway timeout', 'upstream_timeout', 504, true],
  ] as const)('HTTP %i (%s) -> %s / %i', (status, message, code, mappedStatus, retryable) => {
    const error = upstreamError({ provider: 'openai', status, message });
    expect(error).toMatchObject({ code, status: mappedStatus, isRetryable: retryable });
  });

  it('redacts keys the provider echoes back', () => {
    const error = upstreamError({ provider: 'openai', status: 401, message: 'Incorrect API key provided: sk-proj-abcdefghijklmnop' });
    expect(error.message).not.toContain('abcdefghijklmnop');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds, milliseconds and HTTP dates', () => {
    expect(parseRetryAfter('7')).toBe(7);
    expect(parseRetryAfter(undefined, '1500')).toBe(2);
    expect(parseRetryAfter(new Date(Date.now() + 3_000).toUTCString())).toBeGreaterThanOrEqual(2);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('redactSecrets', () => {
  it.each([
    'Bearer abcdefghijklmnopqrstuvwxyz',
    'sk-ant-api03-abcdefghijklmnop',
    'AKIAABCDEFGHIJKLMNOP',
    'https://host/path?key=AIzaSyA-secret-value-1234567890',
  ])('removes %s', (secret) => {
    expect(redactSecrets(`failed with ${secret} today`)).not.toContain(secret);
  });
});
