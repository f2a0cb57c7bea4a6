/** NATS header names of commands between Switchboard services. */
export const messageHeaders = {
  requestId: 'sb-request-id',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
  schemaVersion: 'sb-schema',
  /** A command too large for one NATS message: its payload is in the payload object store under this name. */
  payloadRef: 'sb-payload-ref',
} as const;

/**
 * Headers of every reply on the bus: worker frames, auth answers and the public NATS API alike
 * (docs/nats-api.md documents them for callers; docs/ARCHITECTURE.md D1 says why there is one format).
 */
export const replyHeaders = {
  requestId: 'x-request-id',
  /** The HTTP-equivalent status of the reply (200, 4xx, 5xx). */
  status: 'sb-status',
  errorCode: 'sb-error-code',
  retryAfter: 'retry-after',
  /** On stream messages: `chunk`, `end` (the last message, empty payload) or `error`. */
  stream: 'sb-stream',
  /** On errors: `true` when another attempt (another deployment, later) may succeed. */
  retryable: 'sb-error-retryable',
  /** On errors: the provider's own error type or code, for debugging. */
  providerCode: 'sb-provider-code',
  /**
   * On a piece of a reply too large for one NATS message: more pieces of the same message follow;
   * the last piece has no such header and carries the message's other headers. Receivers concatenate.
   */
  continued: 'sb-continued',
} as const;

/** Headers of the public NATS API (docs/nats-api.md): the caller's key, then the reply headers. */
export const apiHeaders = {
  /** The caller's key: `Bearer sk-...` (as HTTP's Authorization header). */
  authorization: 'authorization',
  ...replyHeaders,
} as const;

/**
 * The `sb-stream` marker of a stream message. `heartbeat` (internal subjects only) says the
 * handler is alive while its upstream call is silent; it carries nothing.
 */
export type StreamMarker = 'chunk' | 'end' | 'error' | 'heartbeat';
