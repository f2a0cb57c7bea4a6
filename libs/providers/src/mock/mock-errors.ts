import { SwitchboardError } from '@switchboard/spec';

/** LiteLLM's exception names, accepted in `mock_response` to test error handling without a provider. */
export function mockErrorFor(mockResponse: string): SwitchboardError | undefined {
  switch (mockResponse) {
    case 'litellm.RateLimitError':
      return new SwitchboardError('rate_limited', 'mock: rate limit reached', { retryAfterSeconds: 1 });
    case 'litellm.InternalServerError':
      return new SwitchboardError('upstream_error', 'mock: internal server error');
    case 'litellm.ServiceUnavailableError':
      return new SwitchboardError('upstream_unavailable', 'mock: service unavailable');
    case 'litellm.Timeout':
      return new SwitchboardError('upstream_timeout', 'mock: timed out');
    case 'litellm.ContextWindowExceededError':
      return new SwitchboardError('context_length_exceeded', 'mock: context window exceeded');
    case 'litellm.ContentPolicyViolationError':
      return new SwitchboardError('content_policy', 'mock: content policy violation');
    case 'litellm.AuthenticationError':
      return new SwitchboardError('authentication', 'mock: authentication failed');
    case 'litellm.BadRequestError':
      return new SwitchboardError('invalid_request', 'mock: bad request');
    default:
      return undefined;
  }
}
