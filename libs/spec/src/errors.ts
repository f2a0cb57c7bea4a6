import { quoteInput } from './input-excerpt';

/**
 * Switchboard's error codes. Every failure anywhere in the system is one of these;
 * each edge (HTTP OpenAI, HTTP Anthropic, NATS) maps them with an exhaustive switch.
 */
export type ErrorCode =
  | 'invalid_request'
  | 'payload_too_large'
  | 'authentication'
  | 'permission_denied'
  | 'not_found'
  | 'model_not_found'
  | 'context_length_exceeded'
  | 'content_policy'
  | 'rate_limited'
  | 'budget_exceeded'
  | 'upstream_error'
  | 'upstream_unavailable'
  | 'upstream_timeout'
  | 'no_worker'
  /** Switchboard's own message bus is unreachable (not the provider's fault: no deployment cooldown). */
  | 'bus_unavailable'
  | 'cancelled'
  | 'internal';

/** The serialisable form of an error: what crosses NATS and what edges render. */
export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  /** The HTTP status this error means at an HTTP edge. */
  status: number;
  param?: string | null;
  retryable: boolean;
  retryAfterSeconds?: number;
  /** The provider's own error type or code, kept for debugging (never a secret). */
  providerCode?: string;
}

const defaultStatus: Record<ErrorCode, number> = {
  invalid_request: 400,
  payload_too_large: 413,
  authentication: 401,
  permission_denied: 403,
  not_found: 404,
  model_not_found: 404,
  context_length_exceeded: 400,
  content_policy: 400,
  rate_limited: 429,
  // LiteLLM answers a spent budget with 400 (`ProxyException(type=budget_exceeded, code=400)`).
  budget_exceeded: 400,
  upstream_error: 502,
  upstream_unavailable: 503,
  upstream_timeout: 504,
  no_worker: 503,
  bus_unavailable: 503,
  cancelled: 499,
  internal: 500,
};

const retryableCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'rate_limited',
  'upstream_error',
  'upstream_unavailable',
  'upstream_timeout',
  'no_worker',
  'bus_unavailable',
]);

export function statusForErrorCode(code: ErrorCode): number {
  return defaultStatus[code];
}

/**
 * The last line of defence against errors that echo client input: no message leaves longer than
 * this, no `param` longer than `maxParamLength` (each quote site bounds its input with `quoteInput`).
 */
const maxMessageLength = 4_096;
const maxParamLength = 200;

export interface SwitchboardErrorOptions {
  status?: number;
  param?: string | null;
  retryable?: boolean;
  retryAfterSeconds?: number;
  providerCode?: string;
  cause?: unknown;
}

/** The one base error. Domain code throws it (or a subclass); edges render it. */
export class SwitchboardError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly param: string | null;
  readonly isRetryable: boolean;
  readonly retryAfterSeconds?: number;
  readonly providerCode?: string;

  constructor(code: ErrorCode, message: string, options: SwitchboardErrorOptions = {}) {
    super(message.length > maxMessageLength ? quoteInput(message, maxMessageLength) : message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SwitchboardError';
    this.code = code;
    this.status = options.status ?? defaultStatus[code];
    this.param = options.param ? quoteInput(options.param, maxParamLength) : (options.param ?? null);
    this.isRetryable = options.retryable ?? retryableCodes.has(code);
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.providerCode = options.providerCode;
  }

  toPayload(): ErrorPayload {
    const payload: ErrorPayload = {
      code: this.code,
      message: this.message,
      status: this.status,
      param: this.param,
      retryable: this.isRetryable,
    };
    if (this.retryAfterSeconds !== undefined) payload.retryAfterSeconds = this.retryAfterSeconds;
    if (this.providerCode !== undefined) payload.providerCode = this.providerCode;
    return payload;
  }

  static fromPayload(payload: ErrorPayload): SwitchboardError {
    return new SwitchboardError(payload.code, payload.message, {
      status: payload.status,
      param: payload.param ?? null,
      retryable: payload.retryable,
      retryAfterSeconds: payload.retryAfterSeconds,
      providerCode: payload.providerCode,
    });
  }

  /** Any thrown value as a SwitchboardError; unknown errors become `internal` without leaking their text. */
  static from(error: unknown): SwitchboardError {
    if (error instanceof SwitchboardError) return error;
    return new SwitchboardError('internal', 'Internal error', { cause: error });
  }
}
