import { DiscardPolicy, RetentionPolicy, StorageType, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamClient } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { durableConsumerConfig } from './consumer-policy';
import type { DurableConsumerOptions } from './consumer-policy';

export interface EventStreamOptions {
  name: string;
  subjects: string[];
  /** How long the server remembers message ids to drop duplicates. */
  duplicateWindowMs: number;
  maxAgeMs: number;
  replicas?: number;
  /** Leave an existing stream's settings alone (another service owns them). */
  createOnly?: boolean;
}

/**
 * Creates the stream, or updates its mutable settings when it exists: durable (file storage),
 * deduplicating by message id, and refusing new messages when full rather than dropping old ones
 * (an unconsumed usage event is money; the publisher retries).
 */
export async function ensureEventStream(connection: NatsConnection, options: EventStreamOptions): Promise<void> {
  const manager = await jetstreamManager(connection);
  const config = {
    name: options.name,
    subjects: options.subjects,
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.New,
    duplicate_window: nanos(options.duplicateWindowMs),
    max_age: nanos(options.maxAgeMs),
    num_replicas: options.replicas ?? 1,
  };
  try {
    await manager.streams.info(options.name);
    if (options.createOnly) return;
    await manager.streams.update(options.name, config);
  } catch (error) {
    if (!isStreamNotFound(error)) throw error;
    await manager.streams.add(config).catch(async (addError: unknown) => {
      // Another service created it in between.
      if (!(addError instanceof Error && /already in use|exists/i.test(addError.message))) throw addError;
    });
  }
}

export async function deleteEventStream(connection: NatsConnection, name: string): Promise<void> {
  const manager = await jetstreamManager(connection);
  try {
    await manager.streams.delete(name);
  } catch (error) {
    if (!isStreamNotFound(error)) throw error;
  }
}

function isStreamNotFound(error: unknown): boolean {
  return error instanceof Error && /stream not found/i.test(error.message);
}

export function jetStreamClient(connection: NatsConnection): JetStreamClient {
  return jetstream(connection);
}

/**
 * Creates a durable consumer with its policy (`durableConsumerConfig`), or brings an existing one to it:
 * a deployment upgraded from a version without `max_deliver` keeps its position and gains the bounds.
 */
export async function ensureDurableConsumer(connection: NatsConnection, stream: string, options: DurableConsumerOptions): Promise<void> {
  const manager = await jetstreamManager(connection);
  const config = durableConsumerConfig(options);
  try {
    await manager.consumers.info(stream, options.durable);
  } catch (error) {
    if (!(error instanceof Error && /consumer not found/i.test(error.message))) throw error;
    await manager.consumers.add(stream, config);
    return;
  }
  await manager.consumers.update(stream, options.durable, {
    ack_wait: config.ack_wait,
    backoff: config.backoff,
    max_deliver: config.max_deliver,
    ...(config.max_ack_pending ? { max_ack_pending: config.max_ack_pending } : {}),
  });
}
