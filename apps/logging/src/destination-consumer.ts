import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { usageEventSchema, usageSubjects } from '@switchboard/contracts';
import type { SubjectNamespace, UsageEventV1 } from '@switchboard/contracts';
import { isLastDelivery, parkMessage, replayedForAnother, retryDelayMs } from '@switchboard/messaging';
import type { ConsumerPolicy } from '@switchboard/messaging';
import type { Logger } from '@switchboard/observability';
import { classifyDeliveryFailure } from './delivery-failure';
import type { FailureMemory } from './failure-memory';
import { messageJson, openUsageConsumer, Pauser } from './usage-stream-consumer';
import type { CallbackDestination } from './callback-destination';
import { wanted } from './callback-destination';

export interface DeliveryOptions {
  batchSize: number;
  flushMs: number;
  policy: ConsumerPolicy;
  failures: FailureMemory;
}

/**
 * Feeds one destination from its own durable consumer of the usage stream, in batches. A batch is
 * acknowledged only once the destination took it. A failed batch is classified
 * (`classifyDeliveryFailure`): refused for good, its events are parked in the dead-letter stream with the
 * answer; otherwise each event is retried on the consumer's backoff and parked at max_deliver. After a
 * failure the consumer waits that retry delay before trying the destination again, so one that is down
 * is not hammered, and requests and the other destinations never wait on it.
 */
export class DestinationConsumer {
  private stopped = false;
  private loop: Promise<void> | undefined;
  private batch: ConsumerMessages | undefined;
  private readonly pauser = new Pauser();
  delivered = 0;
  /** Events a failed delivery sent back for retry (each retry of an event counts again). */
  failed = 0;
  /** Events this consumer parked in the dead-letter stream itself (the advisory's are counted by the service). */
  deadLettered = 0;

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
    this.loop = this.run(
      await openUsageConsumer(this.connection, this.namespace, {
        durable: this.durable,
        filterSubject: usageSubjects.recorded(this.namespace),
        policy: this.options.policy,
        maxAckPending: this.options.batchSize * 4,
      }),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.pauser.interrupt();
    await this.batch?.close().catch(() => undefined);
    await this.loop;
  }

  private async run(consumer: Consumer): Promise<void> {
    while (!this.stopped) {
      const messages: JsMsg[] = [];
      try {
        this.batch = await consumer.fetch({ max_messages: this.options.batchSize, expires: this.options.flushMs });
        for await (const message of this.batch) messages.push(message);
      } catch (error) {
        if (this.stopped) break;
        this.logger.warn({ err: error, destination: this.destination.name }, 'could not read usage events');
        await this.pauser.pause(1_000);
        continue;
      }
      if (messages.length === 0) continue;
      const events: UsageEventV1[] = [];
      const pending: JsMsg[] = [];
      for (const message of messages) {
        // Invalid events are the ledger consumer's to park (once); replays for another consumer are not ours.
        const parsed = replayedForAnother(message.headers, this.durable) ? undefined : usageEventSchema.safeParse(messageJson(message));
        if (!parsed?.success || !wanted(this.destination, parsed.data)) message.ack();
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
      } catch (error) {
        await this.failedBatch(pending, error);
      }
    }
  }

  private async failedBatch(pending: JsMsg[], error: unknown): Promise<void> {
    const failure = classifyDeliveryFailure(error);
    this.failed += pending.length;
    let wait = Infinity;
    for (const message of pending) {
      const delivery = message.info.deliveryCount;
      if (failure.kind === 'permanent' || isLastDelivery(this.options.policy, delivery)) {
        const reason = failure.kind === 'permanent' ? failure.reason : `gave up after ${delivery} deliveries: ${failure.reason}`;
        if (await parkMessage(this.connection, usageSubjects.dead(this.namespace), this.durable, message, reason)) {
          this.deadLettered += 1;
          continue;
        }
      }
      // Left unacknowledged: the server delivers it again on the consumer's backoff.
      this.options.failures.remember(this.durable, message.info.streamSequence, failure.reason);
      wait = Math.min(wait, retryDelayMs(this.options.policy, delivery));
    }
    this.logger.warn({ destination: this.destination.name, events: pending.length, reason: failure.reason, parked: failure.kind === 'permanent', retryInMs: Number.isFinite(wait) ? wait : undefined }, 'callback delivery failed');
    if (Number.isFinite(wait)) await this.pauser.pause(wait);
  }
}
