import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { usageEventSchema, usageSubjects } from '@switchboard/contracts';
import type { SubjectNamespace } from '@switchboard/contracts';
import { replayedForAnother } from '@switchboard/messaging';
import type { ConsumerPolicy } from '@switchboard/messaging';
import type { Logger } from '@switchboard/observability';
import { messageJson, openUsageConsumer, Pauser } from './usage-stream-consumer';
import type { CallerDelivery } from './caller-delivery';

export interface CallerConsumerOptions {
  batchSize: number;
  flushMs: number;
  /** The consumer's max_ack_pending: every event waiting for a per-caller destination, retries included. */
  maxAckPending: number;
  /** `max_deliver` and `backoff`; the lanes rest on the same backoff (CallerDeliveryOptions.retryDelayMs). */
  policy: ConsumerPolicy;
}

/**
 * The per-key and per-team destinations' one durable consumer of the usage stream. Events whose
 * caller names no destination are acked at once; the others are handed to CallerDelivery, which
 * acks or naks each message once its destinations answered.
 */
export class CallerDestinationConsumer {
  /** Its durable JetStream consumer of the usage stream. */
  readonly durable = 'logging-per-caller';
  private stopped = false;
  private loop: Promise<void> | undefined;
  private batch: ConsumerMessages | undefined;
  private readonly pauser = new Pauser();

  constructor(
    private readonly connection: NatsConnection,
    private readonly namespace: SubjectNamespace,
    private readonly delivery: CallerDelivery,
    private readonly logger: Logger,
    private readonly options: CallerConsumerOptions,
  ) {}

  async start(): Promise<void> {
    this.loop = this.run(
      await openUsageConsumer(this.connection, this.namespace, {
        durable: this.durable,
        filterSubject: usageSubjects.recorded(this.namespace),
        policy: this.options.policy,
        maxAckPending: this.options.maxAckPending,
      }),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.pauser.interrupt();
    await this.batch?.close().catch(() => undefined);
    await this.loop;
    await this.delivery.stop();
  }

  private async run(consumer: Consumer): Promise<void> {
    while (!this.stopped) {
      // Destinations that are slow hold messages in memory; fetch more only when there is room.
      if (this.delivery.holding >= this.options.batchSize * 20) {
        await this.pauser.pause(50);
        continue;
      }
      try {
        this.batch = await consumer.fetch({ max_messages: this.options.batchSize, expires: this.options.flushMs });
        for await (const message of this.batch) this.handle(message);
      } catch (error) {
        if (this.stopped) break;
        this.logger.warn({ err: error }, 'could not read usage events for per-key and per-team callbacks');
        await this.pauser.pause(1_000);
      }
    }
  }

  private handle(message: JsMsg): void {
    // Invalid events are the ledger consumer's to park (once); replays for another consumer are not ours.
    const parsed = replayedForAnother(message.headers, this.durable) ? undefined : usageEventSchema.safeParse(messageJson(message));
    if (!parsed?.success || !parsed.data.caller?.logging?.length) {
      message.ack();
      return;
    }
    this.delivery.accept({ seq: message.seq, ack: () => message.ack(), nak: (delayMs) => message.nak(delayMs) }, parsed.data);
  }
}
