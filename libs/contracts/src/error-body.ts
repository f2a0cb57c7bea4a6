import type { ErrorCode, ErrorPayload } from '@switchboard/spec';

/**
 * The OpenAI error envelope, always with all four keys: what HTTP clients get, and the payload of
 * every error reply on the bus (worker, auth and public API subjects alike).
 */
export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** OpenAI's `type` for each Switchboard code (the SDKs map status to classes; `type` is for humans and scripts). */
export function openAiErrorType(code: ErrorCode): string {
  switch (code) {
    case 'invalid_request':
    case 'payload_too_large':
    case 'context_length_exceeded':
    case 'not_found':
    case 'model_not_found':
      return 'invalid_request_error';
    case 'content_policy':
      return 'content_policy_violation';
    case 'authentication':
      return 'authentication_error';
    case 'permission_denied':
      return 'permission_error';
    case 'rate_limited':
      return 'rate_limit_error';
    case 'budget_exceeded':
      return 'budget_exceeded';
    case 'upstream_timeout':
      return 'timeout_error';
    case 'upstream_error':
    case 'upstream_unavailable':
    case 'no_worker':
    case 'bus_unavailable':
    case 'cancelled':
    case 'internal':
      return 'server_error';
    default: {
      const unknownCode: never = code;
      return String(unknownCode);
    }
  }
}

/** OpenAI's `code` values where OpenAI has one, else the Switchboard code. */
function openAiErrorCode(payload: ErrorPayload): string {
  switch (payload.code) {
    case 'authentication':
      return 'invalid_api_key';
    case 'rate_limited':
      return 'rate_limit_exceeded';
    default:
      return payload.code;
  }
}

export function openAiErrorBody(payload: ErrorPayload): OpenAiErrorBody {
  return {
    error: {
      message: payload.message,
      type: openAiErrorType(payload.code),
      param: payload.param ?? null,
      code: openAiErrorCode(payload),
    },
  };
}
