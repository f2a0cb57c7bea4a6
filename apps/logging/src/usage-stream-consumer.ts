import { jetstream } from '@nats-io/jetstream';
import type { Consumer, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { streamName, usageStreamDefaults, usageSubjects } from '@switchboard/contracts';
import type { SubjectNamespace } from '@switchboard/contracts';
import { ensureDurableConsumer, ensureEventStream } from '@switchboard/messaging';
import type { ConsumerPolicy } from '@switchboard/messaging';

export interface UsageConsumerOptions {
  durable: string;
  /** One subject of the usage stream (`recorded`, `budget_alert`). */
  filterSubject: string;
  /** `max_deliver` and `backoff` (CALLBACK_MAX_DELIVERIES, CALLBACK_BACKOFF_SECONDS). */
  policy: ConsumerPolicy;
  maxAckPending?: number;
}

/**
 * A durable, explicitly acknowledged consumer of the usage stream (created with the stream when the
 * logging service starts before any worker), with the policy's `max_deliver` and `backoff`. Each
 * destination of the logging service owns one, so a slow destination keeps its own backlog.
 */
export async function openUsageConsumer(connection: NatsConnection, namespace: SubjectNamespace, options: UsageConsumerOptions): Promise<Consumer> {
  const stream = streamName(namespace, 'USAGE');
  await ensureEventStream(connection, { name: stream, subjects: [usageSubjects.all(namespace)], ...usageStreamDefaults, createOnly: true });
  await ensureDurableConsumer(connection, stream, {
    durable: options.durable,
    filterSubject: options.filterSubject,
    policy: options.policy,
    maxAckPending: options.maxAckPending,
  });
  return jetstream(connection).consumers.get(stream, options.durable);
}

/** A message's JSON, or undefined when it is not JSON (it is then acked or parked, never retried forever). */
export function messageJson(message: JsMsg): unknown {
  try {
    return message.json();
  } catch {
    return undefined;
  }
}

/** A wait that `stop()` can cut short (back-pressure and pull retries, never a redelivery delay). */
export class Pauser {
  private wake: (() => void) | undefined;

  pause(milliseconds: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, milliseconds);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  interrupt(): void {
    this.wake?.();
  }
}
