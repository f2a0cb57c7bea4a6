import { jetstream } from '@nats-io/jetstream';
import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { ConsumerPolicy } from '../consumer-policy';
import { ensureDurableConsumer } from '../jetstream';

/** One durable consumer a JetStream event handler reads from (its settings are the service's). */
export interface JetStreamConsumerSpec {
  stream: string;
  durable: string;
  filterSubject: string;
  /** `max_deliver` and `backoff`, written into the consumer's config. */
  policy: ConsumerPolicy;
  maxAckPending?: number;
  /** The most messages handed to the handler at once: whatever arrived while the previous batch was handled. */
  batchSize: number;
  /** Wait up to this long for a short batch to fill (destinations that prefer fewer, larger deliveries); 0: never. */
  lingerMs?: number;
}

export type BatchHandler = (messages: JsMsg[], spec: JetStreamConsumerSpec) => Promise<void>;

/**
 * Reads one durable consumer into a handler, in batches: messages queue as they arrive, and whatever
 * is queued when the previous batch is done is the next batch (so batches grow with the load and a
 * lone message is handled at once). One batch at a time per consumer; the pull keeps at most twice
 * a batch in hand. A handler that throws leaves its messages unacknowledged: the server delivers them
 * again on the consumer's backoff.
 */
export class JetStreamConsumerRunner {
  private messages: ConsumerMessages | undefined;
  private readonly queue: JsMsg[] = [];
  private draining: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly connection: NatsConnection,
    private readonly spec: JetStreamConsumerSpec,
    private readonly handle: BatchHandler,
    private readonly onError: (error: unknown) => void,
  ) {}

  async start(): Promise<void> {
    await ensureDurableConsumer(this.connection, this.spec.stream, {
      durable: this.spec.durable,
      filterSubject: this.spec.filterSubject,
      policy: this.spec.policy,
      maxAckPending: this.spec.maxAckPending,
    });
    const consumer = await jetstream(this.connection).consumers.get(this.spec.stream, this.spec.durable);
    this.messages = await consumer.consume({
      max_messages: this.spec.batchSize * 2,
      callback: (message) => {
        this.queue.push(message);
        this.draining ??= this.drain();
      },
    });
  }

  /** Stops pulling and waits for the batch being handled. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.messages?.close().catch(() => undefined);
    await this.draining;
  }

  private async drain(): Promise<void> {
    // The messages of this event-loop turn arrive together (or, for a lingering consumer, of a short wait).
    const linger = this.spec.lingerMs ?? 0;
    await new Promise((resolve) => (linger > 0 && this.queue.length < this.spec.batchSize ? setTimeout(resolve, linger) : setImmediate(resolve)));
    try {
      while (this.queue.length > 0 && !this.stopped) {
        const batch = this.queue.splice(0, this.spec.batchSize);
        try {
          await this.handle(batch, this.spec);
        } catch (error) {
          this.onError(error);
        }
      }
    } finally {
      this.draining = undefined;
      if (this.queue.length > 0 && !this.stopped) this.draining = this.drain();
    }
  }
}
