import type { Consumer, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { usageEventSchema, usageSubjects } from '@switchboard/contracts';
import type { SubjectNamespace, UsageEventV1 } from '@switchboard/contracts';
import type { Logger } from '@switchboard/observability';
import { messageJson, openUsageConsumer, pause } from './usage-stream-consumer';
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
  /** Events a failed delivery sent back for retry (each retry of an event counts again). */
  failed = 0;

  constructor(
    private readonly connection: NatsConnection,
    private readonly namespace: SubjectNamespace,
    private readonly destination: CallbackDestination,
    private readonly logger: Logger,
    private readonly options: DeliveryOptions,
  ) {}

  /** Its durable JetStream consumer of the usage stream. */
  get durable(): string {
    return `logging-${this.destination.name}`;
  }

  get destinationName(): string {
    return this.destination.name;
  }

  async start(): Promise<void> {
    this.loop = this.run(await openUsageConsumer(this.connection, this.namespace, { durable: this.durable, filterSubject: usageSubjects.recorded(this.namespace), maxAckPending: this.options.batchSize * 4 }));
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
        const parsed = usageEventSchema.safeParse(messageJson(message));
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
        this.failed += events.length;
        const delay = Math.min(60_000, 500 * 2 ** Math.min(failures, 7));
        this.logger.warn({ destination: this.destination.name, events: events.length, err: error, delay }, 'callback delivery failed; will retry');
        for (const message of pending) message.nak(delay);
        await pause(Math.min(delay, 5_000));
      }
    }
  }
}
