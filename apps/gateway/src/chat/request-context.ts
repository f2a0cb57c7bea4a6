import type { Caller } from '@switchboard/contracts';
import { SwitchboardError } from '@switchboard/spec';
import type { AuthenticatedRequest } from '../auth/auth.guard';

export function callerFor(request: AuthenticatedRequest, user: string | undefined): Caller {
  const caller = request.verifiedKey?.caller ?? {};
  const customerHeader = request.headers['x-litellm-customer-id'] ?? request.headers['x-litellm-end-user-id'];
  const customerId = typeof customerHeader === 'string' && customerHeader ? customerHeader : user;
  return customerId ? { ...caller, customerId } : caller;
}

export function authorizeModel(request: AuthenticatedRequest, model: string): void {
  const allowed = request.verifiedKey?.allowedModels;
  if (allowed && !allowed.has(model)) {
    throw new SwitchboardError('authentication', `key not allowed to access model. This key can only access models=${[...allowed].join(',')}. Tried to access ${model}`, {
      param: 'model',
    });
  }
}

export function traceHeaders(request: AuthenticatedRequest): { traceparent?: string; tracestate?: string } {
  const traceparent = request.headers.traceparent;
  const tracestate = request.headers.tracestate;
  return {
    traceparent: typeof traceparent === 'string' ? traceparent : undefined,
    tracestate: typeof tracestate === 'string' ? tracestate : undefined,
  };
}
