import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { Consumer, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { streamName, usageStreamDefaults, usageSubjects } from '@switchboard/contracts';
import type { SubjectNamespace } from '@switchboard/contracts';
import { ensureEventStream } from '@switchboard/messaging';

export interface UsageConsumerOptions {
  durable: string;
  /** One subject of the usage stream (`recorded`, `budget_alert`). */
  filterSubject: string;
  maxAckPending?: number;
}

/**
 * A durable, explicitly acknowledged consumer of the usage stream (created with the stream when the
 * logging service starts before any worker). Each destination of the logging service owns one, so
 * a slow destination keeps its own backlog.
 */
export async function openUsageConsumer(connection: NatsConnection, namespace: SubjectNamespace, options: UsageConsumerOptions): Promise<Consumer> {
  const stream = streamName(namespace, 'USAGE');
  await ensureEventStream(connection, { name: stream, subjects: [usageSubjects.all(namespace)], ...usageStreamDefaults, createOnly: true });
  await (await jetstreamManager(connection)).consumers.add(stream, {
    durable_name: options.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: options.filterSubject,
    ack_wait: 60_000_000_000,
    ...(options.maxAckPending ? { max_ack_pending: options.maxAckPending } : {}),
  });
  return jetstream(connection).consumers.get(stream, options.durable);
}

/** A message's JSON, or undefined when it is not JSON (it is then acked or terminated, never retried forever). */
export function messageJson(message: JsMsg): unknown {
  try {
    return message.json();
  } catch {
    return undefined;
  }
}

export function pause(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
