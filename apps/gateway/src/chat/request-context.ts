import type { Caller } from '@switchboard/contracts';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { assertModelAllowed } from '../auth/model-access';

export function callerFor(request: AuthenticatedRequest, user: string | undefined): Caller {
  const caller = request.verifiedKey?.caller ?? {};
  const customerHeader = request.headers['x-litellm-customer-id'] ?? request.headers['x-litellm-end-user-id'];
  const customerId = typeof customerHeader === 'string' && customerHeader ? customerHeader : user;
  return customerId ? { ...caller, customerId } : caller;
}

/** The same refusal as LiteLLM's for a model the key may not use. */
export function authorizeModel(request: AuthenticatedRequest, model: string): void {
  assertModelAllowed(request.verifiedKey, model);
}

export function traceHeaders(request: AuthenticatedRequest): { traceparent?: string; tracestate?: string } {
  const traceparent = request.headers.traceparent;
  const tracestate = request.headers.tracestate;
  return {
    traceparent: typeof traceparent === 'string' ? traceparent : undefined,
    tracestate: typeof tracestate === 'string' ? tracestate : undefined,
  };
}
