import type { ErrorCode, ErrorPayload, FinishReason, Usage } from '@switchboard/spec';

/** Anthropic's stop_reason for a unified finish reason (raw Anthropic values are kept when present). */
export function anthropicStopReason(reason: FinishReason | undefined): string {
  const raw = reason?.raw;
  if (raw && ['end_turn', 'max_tokens', 'stop_sequence', 'tool_use', 'pause_turn', 'refusal'].includes(raw)) return raw;
  switch (reason?.unified) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}

/** Anthropic's usage object: input excludes cache reads and writes, which are reported apart. */
export function anthropicUsage(usage: Usage | undefined): Record<string, number> {
  if (!usage) return { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  return {
    input_tokens: usage.inputTokens.noCache,
    output_tokens: usage.outputTokens.total,
    cache_creation_input_tokens: usage.inputTokens.cacheWrite,
    cache_read_input_tokens: usage.inputTokens.cacheRead,
  };
}

/** https://docs.claude.com/en/api/errors */
export function anthropicErrorType(code: ErrorCode, status: number): string {
  switch (code) {
    case 'invalid_request':
    case 'context_length_exceeded':
    case 'content_policy':
    case 'model_not_found':
      return status === 404 ? 'not_found_error' : 'invalid_request_error';
    case 'not_found':
      return 'not_found_error';
    case 'payload_too_large':
      return 'request_too_large';
    case 'authentication':
      return 'authentication_error';
    case 'permission_denied':
      return 'permission_error';
    case 'rate_limited':
      return 'rate_limit_error';
    case 'budget_exceeded':
      return 'billing_error';
    case 'upstream_timeout':
      return 'timeout_error';
    case 'upstream_unavailable':
    case 'no_worker':
    case 'bus_unavailable':
      return 'overloaded_error';
    case 'upstream_error':
    case 'cancelled':
    case 'internal':
      return 'api_error';
  }
}

export function anthropicErrorBody(payload: ErrorPayload, requestId: string): Record<string, unknown> {
  return {
    type: 'error',
    error: { type: anthropicErrorType(payload.code, payload.status), message: payload.message },
    request_id: requestId,
  };
}
