import type { UsageEventV1 } from '@switchboard/contracts';

/** One place usage events are delivered to (a webhook, Langfuse, ...). */
export interface CallbackDestination {
  /** Stable name: also the durable JetStream consumer's (`logging-<name>`). */
  readonly name: string;
  /** Which outcomes it wants: LiteLLM's success_callback, failure_callback or callbacks (both). */
  readonly wants: 'success' | 'failure' | 'all';
  /** Delivers one batch; throws when the destination did not take it (the batch is retried). */
  deliver(events: readonly UsageEventV1[]): Promise<void>;
}

export function wanted(destination: CallbackDestination, event: UsageEventV1): boolean {
  if (destination.wants === 'all') return true;
  return destination.wants === 'success' ? event.status === 'success' : event.status !== 'success';
}
