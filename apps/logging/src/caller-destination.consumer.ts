import type { JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { streamName, usageEventSchema, usageSubjects } from '@switchboard/contracts';
import type { SubjectNamespace } from '@switchboard/contracts';
import { replayedForAnother } from '@switchboard/messaging';
import type { ConsumerPolicy, JetStreamConsumerSpec } from '@switchboard/messaging';
import type { Logger } from '@switchboard/observability';
import { messageJson, Pauser } from './usage-stream-consumer';
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
  private readonly pauser = new Pauser();

  constructor(
    private readonly connection: NatsConnection,
    private readonly namespace: SubjectNamespace,
    private readonly delivery: CallerDelivery,
    private readonly logger: Logger,
    private readonly options: CallerConsumerOptions,
  ) {}

  /** Its durable consumer: only the events whose caller names a destination (subject route `logged`). */
  consumerSpec(): JetStreamConsumerSpec {
    return {
      stream: streamName(this.namespace, 'USAGE'),
      durable: this.durable,
      filterSubject: usageSubjects.recorded(this.namespace, 'logged'),
      policy: this.options.policy,
      maxAckPending: this.options.maxAckPending,
      batchSize: this.options.batchSize,
      lingerMs: this.options.flushMs,
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.pauser.interrupt();
    await this.delivery.stop();
  }

  /** One batch: handed to the lanes of their destinations (each message acknowledged once its destinations answered). */
  async handleBatch(messages: JsMsg[]): Promise<void> {
    // Destinations that are slow hold messages in memory; take more only when there is room.
    while (this.delivery.holding >= this.options.batchSize * 20 && !this.stopped) await this.pauser.pause(50);
    for (const message of messages) this.handle(message);
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
