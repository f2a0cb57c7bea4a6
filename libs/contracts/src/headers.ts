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

/** Frames on a reply inbox from worker to gateway. */
export type ReplyFrameKind = 'parts' | 'result' | 'error' | 'end';
