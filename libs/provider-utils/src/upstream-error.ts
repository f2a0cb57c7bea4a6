import { SwitchboardError } from '@switchboard/spec';
import type { ErrorCode } from '@switchboard/spec';
import { redactSecrets } from './redact';

export interface UpstreamErrorDetails {
  provider: string;
  status: number;
  /** The provider's error message, if it sent one. */
  message?: string;
  /** The provider's error type or code, if it sent one. */
  providerCode?: string;
  retryAfterSeconds?: number;
}

const contextLengthPattern =
  /context[_ ]length|maximum context|context window|too many tokens|prompt is too long|input is too long|exceeds the (maximum|max)|token limit/i;
const contentPolicyPattern = /content[_ ]?(policy|management|filter)|safety|responsible ?ai|blocked by/i;

/**
 * Maps an upstream HTTP error to a Switchboard error: the status keeps its meaning for the client,
 * and whether it is worth retrying is decided here once for every provider.
 */
export function upstreamError(details: UpstreamErrorDetails): SwitchboardError {
  const text = redactSecrets(details.message ?? '').slice(0, 2_000);
  const message = text ? `${details.provider} error: ${text}` : `${details.provider} returned HTTP ${details.status}`;
  const hint = `${details.providerCode ?? ''} ${text}`;
  const options = { providerCode: details.providerCode, retryAfterSeconds: details.retryAfterSeconds };
  const code = codeForStatus(details.status, hint);
  switch (code) {
    case 'context_length_exceeded':
    case 'content_policy':
    case 'invalid_request':
      return new SwitchboardError(code, message, { ...options, status: details.status === 422 ? 422 : 400 });
    default:
      return new SwitchboardError(code, message, options);
  }
}

function codeForStatus(status: number, hint: string): ErrorCode {
  if (contextLengthPattern.test(hint) && status < 500) return 'context_length_exceeded';
  if (contentPolicyPattern.test(hint) && status < 500 && status !== 429) return 'content_policy';
  if (status === 400 || status === 422) return 'invalid_request';
  if (status === 401) return 'authentication';
  if (status === 403) return 'permission_denied';
  if (status === 404) return 'not_found';
  if (status === 408) return 'upstream_timeout';
  if (status === 413) return 'payload_too_large';
  if (status === 429) return 'rate_limited';
  if (status === 503 || status === 529) return 'upstream_unavailable';
  if (status === 504) return 'upstream_timeout';
  if (status >= 500) return 'upstream_error';
  return 'invalid_request';
}

/** `retry-after` as seconds (it may be seconds or an HTTP date); `retry-after-ms` wins when present. */
export function parseRetryAfter(retryAfter?: string, retryAfterMs?: string): number | undefined {
  if (retryAfterMs && /^\d+(\.\d+)?$/.test(retryAfterMs)) return Math.max(0, Math.ceil(Number(retryAfterMs) / 1000));
  if (!retryAfter) return undefined;
  if (/^\d+(\.\d+)?$/.test(retryAfter.trim())) return Math.ceil(Number(retryAfter));
  const date = Date.parse(retryAfter);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
