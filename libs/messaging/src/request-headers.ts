import { headers as createHeaders } from '@nats-io/transport-node';
import type { MsgHdrs } from '@nats-io/transport-node';
import { messageHeaders } from '@switchboard/contracts';

export interface RequestHeaderValues {
  requestId: string;
  /** W3C trace context from the incoming request, carried across the bus. */
  traceparent?: string;
  tracestate?: string;
}

export function requestHeaders(values: RequestHeaderValues): MsgHdrs {
  const headers = createHeaders();
  if (values.requestId) headers.set(messageHeaders.requestId, values.requestId);
  if (values.traceparent) headers.set(messageHeaders.traceparent, values.traceparent);
  if (values.tracestate) headers.set(messageHeaders.tracestate, values.tracestate);
  return headers;
}

export function readTraceHeaders(headers: MsgHdrs | undefined): { traceparent?: string; tracestate?: string } {
  return {
    traceparent: headers?.get(messageHeaders.traceparent) || undefined,
    tracestate: headers?.get(messageHeaders.tracestate) || undefined,
  };
}
