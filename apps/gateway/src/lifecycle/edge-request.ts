import type { IncomingHttpHeaders } from 'node:http';
import type { MsgHdrs } from '@nats-io/transport-node';
import type { Caller } from '@switchboard/contracts';
import type { Attributes } from '@switchboard/observability';
import type { VerifiedKey } from '../auth/key-verifier';
import type { Edge } from './call-plan';

/** What every edge knows of a request before its API parses the body: its id, the verified key, its headers. */
export interface EdgeRequest {
  requestId: string;
  edge: Edge;
  verified?: VerifiedKey;
  /** HTTP's headers, or the NATS message's (lower-case names): LiteLLM's `x-litellm-*` headers and the trace context. */
  headers: IncomingHttpHeaders;
  /** What only this edge knows, for the request's span (the NATS subject). */
  spanAttributes?: Attributes;
}

/** A NATS message's headers as HTTP-style lower-case names, so both edges read LiteLLM's headers the same way. */
export function headersOf(headers: MsgHdrs | undefined): IncomingHttpHeaders {
  const record: IncomingHttpHeaders = {};
  if (!headers) return record;
  for (const [name, values] of headers) record[name.toLowerCase()] = values.length === 1 ? values[0] : values;
  return record;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The caller as usage and budgets see it: the key's identity, and the customer (`x-litellm-customer-id`, else `user`). */
export function callerOf(request: EdgeRequest, user: string | undefined): Caller {
  const caller = request.verified?.caller ?? {};
  const customerId = header(request.headers, 'x-litellm-customer-id') ?? header(request.headers, 'x-litellm-end-user-id') ?? user;
  return customerId ? { ...caller, customerId } : caller;
}
