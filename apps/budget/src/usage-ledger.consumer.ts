import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { streamName, usageEventSchema, usageStreamDefaults, usageSubjects } from '@switchboard/contracts';
import type { SubjectNamespace } from '@switchboard/contracts';
import type { SpendLedgerRepository } from '@switchboard/data-access-spend';
import { ensureEventStream } from '@switchboard/messaging';
import { SpanKind, endSpan, extractContext } from '@switchboard/observability';
import type { Logger, Tracing } from '@switchboard/observability';
import type { LedgerObserver } from './budget-metrics';
import type { UsagePricer } from './usage-pricer';

export interface LedgerConsumerOptions {
  durableName: string;
  maxDeliveries: number;
}

/**
 * Consumes the usage stream into the spend ledger with explicit acknowledgements: an event is
 * acknowledged only after its transaction committed, so a Postgres outage leaves events waiting in
 * JetStream (redelivered with backoff, none lost), and the ledger's message-id key makes any
 * redelivery or duplicate a no-op. An invalid event goes to the dead-letter stream and is
 * terminated, so it never blocks the rest.
 */
export class UsageLedgerConsumer {
  private messages: ConsumerMessages | undefined;
  private running: Promise<void> | undefined;
  processed = 0;

  constructor(
    private readonly connection: NatsConnection,
    private readonly namespace: SubjectNamespace,
    private readonly ledger: SpendLedgerRepository,
    private readonly pricer: UsagePricer,
    private readonly logger: Logger,
    private readonly options: LedgerConsumerOptions,
    private readonly tracing: Tracing,
    private readonly observer?: LedgerObserver,
  ) {}

  async start(): Promise<void> {
    const manager = await jetstreamManager(this.connection);
    const stream = streamName(this.namespace, 'USAGE');
    // The workers create the usage stream; make sure it exists when the budget service starts first.
    await ensureEventStream(this.connection, { name: stream, subjects: [usageSubjects.all(this.namespace)], ...usageStreamDefaults, createOnly: true });
    await ensureEventStream(this.connection, {
      name: streamName(this.namespace, 'USAGE_DLQ'),
      subjects: [usageSubjects.dead(this.namespace)],
      duplicateWindowMs: 120_000,
      maxAgeMs: 30 * 24 * 3_600_000,
    });
    await manager.consumers.add(stream, {
      durable_name: this.options.durableName,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: usageSubjects.recorded(this.namespace),
      ack_wait: 30_000_000_000,
      max_ack_pending: 1_000,
    });
    const consumer = await jetstream(this.connection).consumers.get(stream, this.options.durableName);
    this.messages = await consumer.consume({ max_messages: 200 });
    this.running = this.loop(this.messages);
  }

  async stop(): Promise<void> {
    await this.messages?.close();
    await this.running;
  }

  private async loop(messages: ConsumerMessages): Promise<void> {
    for await (const message of messages) await this.handle(message);
  }

  private async handle(message: JsMsg): Promise<void> {
    const messageId = message.headers?.get('Nats-Msg-Id') || `${message.info.stream}:${message.seq}`;
    let event;
    try {
      event = usageEventSchema.parse(message.json());
    } catch (error) {
      await this.deadLetter(message, messageId, error);
      return;
    }
    const span = this.tracing.tracer.startSpan(
      'process usage',
      { kind: SpanKind.CONSUMER, attributes: { 'messaging.system': 'nats', 'switchboard.request_id': event.requestId, 'switchboard.model_group': event.modelGroup } },
      extractContext({ traceparent: event.traceparent }),
    );
    try {
      await this.pricer.ensureKnown(event.deploymentId);
      const entry = this.pricer.price(event, messageId);
      const inserted = await this.ledger.record(entry);
      message.ack();
      this.processed += 1;
      this.observer?.recorded(entry, inserted);
      span.setAttributes({ 'switchboard.cost_usd': entry.cost, 'switchboard.duplicate': !inserted });
      endSpan(span);
      if (!inserted) this.logger.debug({ messageId }, 'usage event already recorded');
    } catch (error) {
      endSpan(span, 'ledger_unavailable');
      // Postgres unavailable (or a transient failure): try again later; the event stays in the stream.
      const delay = Math.min(30_000, 500 * 2 ** Math.min(message.info.deliveryCount, 6));
      this.logger.warn({ messageId, err: error, delay }, 'could not record usage event; will retry');
      message.nak(delay);
    }
  }

  private async deadLetter(message: JsMsg, messageId: string, error: unknown): Promise<void> {
    this.logger.error({ messageId, err: error }, 'invalid usage event moved to the dead-letter stream');
    try {
      await jetstream(this.connection).publish(usageSubjects.dead(this.namespace), message.data, { msgID: `dead:${messageId}` });
      message.term('invalid usage event');
      this.observer?.deadLettered();
    } catch {
      if (message.info.deliveryCount >= this.options.maxDeliveries) message.term('invalid usage event');
      else message.nak(1_000);
    }
  }
}
