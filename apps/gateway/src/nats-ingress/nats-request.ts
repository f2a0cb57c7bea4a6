import type { Caller } from '@switchboard/contracts';
import type { VerifiedKey } from '../auth/key-verifier';
import { assertModelAllowed } from '../auth/model-access';
import type { NatsReply } from './nats-reply';

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
  reply: NatsReply;
}

/** The caller as usage and budgets see it: the key's identity, and the customer (`x-litellm-customer-id`, else `user`). */
export function callerFor(verified: VerifiedKey, user: string | undefined, customerHeader?: string): Caller {
  const customerId = customerHeader || user;
  return customerId ? { ...verified.caller, customerId } : verified.caller;
}

/** The same refusal as HTTP's for a model the key may not use. */
export function authorizeModel(verified: VerifiedKey, model: string): void {
  assertModelAllowed(verified, model);
}
