import type { Caller } from '@switchboard/contracts';
import { SwitchboardError } from '@switchboard/spec';
import type { VerifiedKey } from '../auth/key-verifier';
import type { ReplyWriter } from '@switchboard/messaging';

/** One request on the public NATS API, after its key was verified and its payload decoded. */
export interface NatsApiRequest {
  requestId: string;
  /** The subject it came on, and the caller's inbox. */
  subject: string;
  inbox: string;
  /** The caller's W3C trace context, from the message's `traceparent` / `tracestate` headers. */
  trace: { traceparent?: string; tracestate?: string };
  /** The `x-litellm-customer-id` header, as on HTTP: it names the customer before the body's `user`. */
  customerId?: string;
  verified: VerifiedKey;
  body: unknown;
  reply: ReplyWriter;
}

/** The caller as usage and budgets see it: the key's identity, and the customer (`x-litellm-customer-id`, else `user`). */
export function callerFor(verified: VerifiedKey, user: string | undefined, customerHeader?: string): Caller {
  const customerId = customerHeader || user;
  return customerId ? { ...verified.caller, customerId } : verified.caller;
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
