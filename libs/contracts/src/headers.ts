/** NATS header names used between Switchboard services. */
export const messageHeaders = {
  requestId: 'sb-request-id',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
  /** On reply frames: the kind of frame (see ReplyFrameKind). */
  frameKind: 'sb-frame',
  errorCode: 'sb-error-code',
  errorStatus: 'sb-error-status',
  schemaVersion: 'sb-schema',
} as const;

/** Headers of the public NATS API (docs/nats-api.md). */
export const apiHeaders = {
  /** The caller's key: `Bearer sk-...` (as HTTP's Authorization header). */
  authorization: 'authorization',
  requestId: 'x-request-id',
  /** HTTP-equivalent status of the reply (200, 4xx, 5xx). */
  status: 'sb-status',
  errorCode: 'sb-error-code',
  /** On stream messages: `chunk`, `end` (the last message, empty body) or `error`. */
  stream: 'sb-stream',
  retryAfter: 'retry-after',
} as const;

/** Frames on a reply inbox from worker to gateway. */
export type ReplyFrameKind = 'parts' | 'result' | 'error' | 'end';
