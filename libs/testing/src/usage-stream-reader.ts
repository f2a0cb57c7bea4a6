import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { streamName } from '@switchboard/contracts';
import type { UsageEventV1 } from '@switchboard/contracts';
import type { Isolation } from './isolation';

export interface StoredUsageEvent {
  messageId: string;
  event: UsageEventV1;
}

/** Reads every usage event stored so far in the isolation's usage stream (with its message id). */
export async function readUsageEvents(isolation: Isolation): Promise<StoredUsageEvent[]> {
  const connection = await connect({ servers: isolation.urls.natsUrl });
  try {
    const manager = await jetstreamManager(connection);
    const name = streamName(isolation.namespace, 'USAGE');
    const info = await manager.streams.info(name);
    const total = info.state.messages;
    if (total === 0) return [];
    const consumer = await manager.consumers.add(name, {
      ack_policy: AckPolicy.None,
      deliver_policy: DeliverPolicy.All,
      inactive_threshold: 5_000_000_000,
    });
    const reader = await jetstream(connection).consumers.get(name, consumer.name);
    const events: StoredUsageEvent[] = [];
    const messages = await reader.fetch({ max_messages: total, expires: 2_000 });
    for await (const message of messages) {
      events.push({ messageId: message.headers?.get('Nats-Msg-Id') ?? '', event: message.json<UsageEventV1>() });
      if (events.length >= total) break;
    }
    return events;
  } finally {
    await connection.close();
  }
}

/** Waits (test helper) until the stream holds at least `count` usage events. */
export async function waitForUsageEvents(isolation: Isolation, count: number, timeoutMs = 10_000): Promise<StoredUsageEvent[]> {
  const deadline = Date.now() + timeoutMs;
  let events: StoredUsageEvent[] = [];
  while (Date.now() < deadline) {
    events = await readUsageEvents(isolation);
    if (events.length >= count) return events;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return events;
}

/** Waits (test helper) until the usage event of one request is stored; resolves with it, or undefined. */
export async function waitForUsageEvent(isolation: Isolation, requestId: string, timeoutMs = 10_000): Promise<UsageEventV1 | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = (await readUsageEvents(isolation)).find((stored) => stored.event.requestId === requestId);
    if (found) return found.event;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}
