import { describe, expect, it } from 'vitest';
import { sagemakerError, sagemakerStreamException, tgiStreamError } from './sagemaker-error';

describe('sagemakerError', () => {
  it.each([
    [400, 'ValidationError', { message: 'Endpoint x not found.' }, 'invalid_request', false],
    [400, 'ThrottlingException', { message: 'Rate exceeded' }, 'rate_limited', true],
    [429, 'ModelNotReadyException', { message: 'Model is loading' }, 'upstream_unavailable', true],
    [503, 'ServiceUnavailable', { message: 'Service Unavailable' }, 'upstream_unavailable', true],
    [500, 'InternalFailure', { message: 'Internal failure' }, 'upstream_error', true],
    [424, 'ModelError', { Message: 'Received server error (500)', OriginalStatusCode: 500, OriginalMessage: '{"error":"CUDA OOM"}' }, 'upstream_error', true],
    [424, 'ModelError', { Message: 'Received client error (429)', OriginalStatusCode: 429, OriginalMessage: '{"error":"Model is overloaded"}' }, 'rate_limited', true],
  ])('HTTP %i %s becomes %s (retryable %s)', (status, type, body, code, retryable) => {
    expect(sagemakerError('sagemaker', status, `${type}:http://internal.amazon.com/coral/com.amazon.sagemaker/`, JSON.stringify(body))).toMatchObject({ code, isRetryable: retryable, providerCode: type });
  });

  it('uses the container message of a ModelError', () => {
    expect(sagemakerError('sagemaker', 424, 'ModelError', JSON.stringify({ Message: 'wrapped', OriginalStatusCode: 500, OriginalMessage: '{"error":"CUDA OOM"}' })).message).toBe(
      'sagemaker error: CUDA OOM',
    );
  });

  it.each([
    ['ModelStreamError', { Message: 'Model invocation time exceeded', ErrorCode: 'ModelInvocationTimeExceeded' }, 'upstream_timeout', 'ModelInvocationTimeExceeded'],
    ['ModelStreamError', { Message: 'Stream broken', ErrorCode: 'StreamBroken' }, 'upstream_error', 'StreamBroken'],
    ['InternalStreamFailure', { Message: 'Internal stream failure' }, 'upstream_error', 'InternalStreamFailure'],
  ])('a %s exception in the stream becomes %s', (type, body, code, providerCode) => {
    expect(sagemakerStreamException('sagemaker', type, JSON.stringify(body)).toPayload()).toMatchObject({ code, providerCode });
  });

  it.each([
    ['validation', 'invalid_request'],
    ['overloaded', 'rate_limited'],
    ['generation', 'upstream_error'],
  ])('a TGI %s error event becomes %s', (errorType, code) => {
    expect(tgiStreamError('sagemaker', 'boom', errorType).code).toBe(code);
  });
});
