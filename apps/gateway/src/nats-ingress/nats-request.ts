import type { Caller } from '@switchboard/contracts';
import { SwitchboardError } from '@switchboard/spec';
import type { VerifiedKey } from '../auth/key-verifier';
import type { NatsReply } from './nats-reply';

/** One request on the public NATS API, after its key was verified and its payload decoded. */
export interface NatsApiRequest {
  requestId: string;
  /** The subject it came on, and the caller's inbox. */
  subject: string;
  inbox: string;
  /** The caller's W3C trace context, from the message's `traceparent` / `tracestate` headers. */
  trace: { traceparent?: string; tracestate?: string };
  verified: VerifiedKey;
  body: unknown;
  reply: NatsReply;
}

/** The caller as usage and budgets see it: the key's identity, and the customer named by `user`. */
export function callerFor(verified: VerifiedKey, user: string | undefined): Caller {
  return user ? { ...verified.caller, customerId: user } : verified.caller;
}

/** The same refusal as HTTP's for a model the key may not use. */
export function authorizeModel(verified: VerifiedKey, model: string): void {
  const allowed = verified.allowedModels;
  if (allowed && !allowed.has(model)) {
    throw new SwitchboardError('authentication', `key not allowed to access model. This key can only access models=${[...allowed].join(',')}. Tried to access ${model}`, {
      param: 'model',
    });
  }
}
