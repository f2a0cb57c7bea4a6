import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { Consumer, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { streamName, usageEventSchema, usageStreamDefaults, usageSubjects } from '@switchboard/contracts';
import type { SubjectNamespace, UsageEventV1 } from '@switchboard/contracts';
import { ensureEventStream } from '@switchboard/messaging';
import type { Logger } from '@switchboard/observability';
import type { CallbackDestination } from './callback-destination';
import { wanted } from './callback-destination';

export interface DeliveryOptions {
  batchSize: number;
  flushMs: number;
}

/**
 * Feeds one destination from its own durable consumer of the usage stream, in batches. A batch is
 * acknowledged only once the destination took it; a destination that is down keeps its events in
 * JetStream and retries with backoff, without slowing requests or the other destinations.
 */
export class DestinationConsumer {
  private stopped = false;
  private loop: Promise<void> | undefined;
  delivered = 0;

  constructor(
    private readonly connection: NatsConnection,
    private readonly namespace: SubjectNamespace,
    private readonly destination: CallbackDestination,
    private readonly logger: Logger,
    private readonly options: DeliveryOptions,
  ) {}

  async start(): Promise<void> {
    const stream = streamName(this.namespace, 'USAGE');
    await ensureEventStream(this.connection, { name: stream, subjects: [usageSubjects.all(this.namespace)], ...usageStreamDefaults, createOnly: true });
    const durable = `logging-${this.destination.name}`;
    await (await jetstreamManager(this.connection)).consumers.add(stream, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: usageSubjects.recorded(this.namespace),
      ack_wait: 60_000_000_000,
      max_ack_pending: this.options.batchSize * 4,
    });
    const consumer = await jetstream(this.connection).consumers.get(stream, durable);
    this.loop = this.run(consumer);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(consumer: Consumer): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      const messages: JsMsg[] = [];
      try {
        const batch = await consumer.fetch({ max_messages: this.options.batchSize, expires: this.options.flushMs });
        for await (const message of batch) messages.push(message);
      } catch (error) {
        this.logger.warn({ err: error, destination: this.destination.name }, 'could not read usage events');
        await pause(1_000);
        continue;
      }
      if (messages.length === 0) continue;
      const events: UsageEventV1[] = [];
      const pending: JsMsg[] = [];
      for (const message of messages) {
        const parsed = usageEventSchema.safeParse(safeJson(message));
        if (!parsed.success || !wanted(this.destination, parsed.data)) message.ack();
        else {
          events.push(parsed.data);
          pending.push(message);
        }
      }
      if (events.length === 0) continue;
      try {
        await this.destination.deliver(events);
        for (const message of pending) message.ack();
        this.delivered += events.length;
        failures = 0;
      } catch (error) {
        failures += 1;
        const delay = Math.min(60_000, 500 * 2 ** Math.min(failures, 7));
        this.logger.warn({ destination: this.destination.name, events: events.length, err: error, delay }, 'callback delivery failed; will retry');
        for (const message of pending) message.nak(delay);
        await pause(Math.min(delay, 5_000));
      }
    }
  }
}

function safeJson(message: JsMsg): unknown {
  try {
    return message.json();
  } catch {
    return undefined;
  }
}

function pause(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
