import type { UsageEventV1 } from '@switchboard/contracts';
import { SwitchboardError } from '@switchboard/spec';

/** One place usage events are delivered to (a webhook, Langfuse, ...). */
export interface CallbackDestination {
  /** Stable name: also the durable JetStream consumer's (`logging-<name>`). */
  readonly name: string;
  /** Which outcomes it wants: LiteLLM's success_callback, failure_callback or callbacks (both). */
  readonly wants: 'success' | 'failure' | 'all';
  /** Delivers one batch; throws when the destination did not take it (the batch is retried). */
  deliver(events: readonly UsageEventV1[]): Promise<void>;
}

export function wanted(destination: Pick<CallbackDestination, 'wants'>, event: Pick<UsageEventV1, 'status'>): boolean {
  if (destination.wants === 'all') return true;
  return destination.wants === 'success' ? event.status === 'success' : event.status !== 'success';
}

/**
 * A destination answered outside 2xx. Client errors other than 408 and 429 (bad keys, a wrong
 * path, a malformed batch) will not heal by retrying, so they are not retryable.
 */
export function refusedDelivery(destination: string, statusCode: number): SwitchboardError {
  const retryable = statusCode < 400 || statusCode >= 500 || statusCode === 408 || statusCode === 429;
  return new SwitchboardError('upstream_error', `${destination} answered HTTP ${statusCode}`, { status: statusCode >= 400 ? statusCode : 502, retryable });
}

/**
 * LiteLLM's `redact_user_api_key_info`: the destination gets events without who called (key hash,
 * stable key id, key alias, user, team, organization); the customer and tags stay.
 */
export function withoutKeyInfo(destination: CallbackDestination): CallbackDestination {
  return {
    name: destination.name,
    wants: destination.wants,
    deliver: (events) =>
      destination.deliver(
        events.map((event) => {
          if (!event.caller) return event;
          const { keyHash: _keyHash, keyId: _keyId, keyAlias: _keyAlias, userId: _userId, teamId: _teamId, organizationId: _organizationId, ...rest } = event.caller;
          return { ...event, caller: rest };
        }),
      ),
  };
}
