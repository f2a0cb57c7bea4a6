import type { JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { streamName, usageEventSchema, usageStreamDefaults, usageSubjects } from '@switchboard/contracts';
import type { SubjectNamespace, UsageEventV1 } from '@switchboard/contracts';
import type { LedgerEntry, SpendLedgerRepository } from '@switchboard/data-access-spend';
import {
  ensureDeadLetterStream,
  ensureEventStream,
  isLastDelivery,
  originalMessageId,
  parkMessage,
  replayedForAnother,
  retryDelayMs,
  watchMaxDeliveries,
} from '@switchboard/messaging';
import type { ConsumerPolicy, JetStreamConsumerSpec } from '@switchboard/messaging';
import { SpanKind, endSpan, extractContext } from '@switchboard/observability';
import type { Logger, Tracing } from '@switchboard/observability';
import type { LedgerObserver } from './budget-metrics';
import { classifyLedgerFailure } from './ledger-failure';
import type { UsagePricer } from './usage-pricer';

export interface LedgerConsumerOptions {
  durableName: string;
  /** `max_deliver` and `backoff` of the durable consumer (USAGE_MAX_DELIVERIES, USAGE_BACKOFF_SECONDS). */
  policy: ConsumerPolicy;
  /** Most messages recorded in one transaction (the ones that arrived while the previous batch was written). */
  batchSize?: number;
}

/** The most events recorded in one transaction. */
const batchLimit = 500;

interface Pending {
  message: JsMsg;
  messageId: string;
  event: UsageEventV1;
  entry: LedgerEntry;
}

/** Failures remembered for the dead letter's reason when the server gives up on a message. */
const rememberedFailures = 10_000;

/**
 * Consumes the usage stream into the spend ledger with explicit acknowledgements: an event is
 * acknowledged only after its transaction committed, and the ledger's message-id key makes any
 * redelivery or duplicate a no-op. Failures are classified (`classifyLedgerFailure`):
 * - an invalid or unpriceable event, or a value Postgres refuses, is parked in the dead-letter stream
 *   at once, with the reason;
 * - while Postgres is unreachable the event is held (`working()`, so the server neither redelivers it
 *   nor counts a delivery) and retried until the database returns: an outage of any length parks nothing;
 * - anything else is left unacknowledged, so the server redelivers it on the consumer's backoff, and is
 *   parked at max_deliver, by this consumer on
 *   the last delivery or, when it never saw that delivery end, from the MAX_DELIVERIES advisory.
 * Either way the events behind it keep flowing.
 *
 * Events are recorded in batches (docs/ARCHITECTURE.md D27): whatever arrived while the previous batch was
 * being written goes into one transaction (one multi-row insert, one upsert of the totals and one of the
 * daily aggregates), then each is acknowledged. Exactly once still comes from the message-id key, so a
 * batch redelivered after a crash inserts nothing twice. A batch the database refuses is recorded again
 * one event at a time, so one bad event is isolated and parked while the others land.
 */
export class UsageLedgerService {
  private stopped = false;
  private wake: (() => void) | undefined;
  private advisories: { stop(): void } | undefined;
  private readonly lastFailures = new Map<number, string>();
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

  private get stream(): string {
    return streamName(this.namespace, 'USAGE');
  }

  private get deadLetterSubject(): string {
    return usageSubjects.dead(this.namespace);
  }

  /** The durable consumer the bus transport reads for this service (`@EventPattern(usageRecorded, { consumer: 'ledger' })`). */
  consumerSpec(): JetStreamConsumerSpec {
    return {
      stream: this.stream,
      durable: this.options.durableName,
      filterSubject: usageSubjects.recordedAll(this.namespace),
      policy: this.options.policy,
      maxAckPending: 1_000,
      batchSize: this.options.batchSize ?? batchLimit,
    };
  }

  /** The streams it needs (before the transport opens the consumer), and the max-deliveries advisories. */
  async start(): Promise<void> {
    // The workers create the usage stream; make sure it exists when the budget service starts first.
    await ensureEventStream(this.connection, { name: this.stream, subjects: [usageSubjects.all(this.namespace)], ...usageStreamDefaults, createOnly: true });
    await ensureDeadLetterStream(this.connection, streamName(this.namespace, 'USAGE_DLQ'), this.deadLetterSubject);
    this.advisories = watchMaxDeliveries(this.connection, {
      stream: this.stream,
      durables: [this.options.durableName],
      deadLetterSubject: this.deadLetterSubject,
      lastFailure: (_durable, streamSeq) => this.lastFailures.get(streamSeq),
      onParked: (durable, streamSeq) => {
        this.lastFailures.delete(streamSeq);
        this.observer?.deadLettered();
        this.logger.error({ consumer: durable, streamSeq }, 'usage event reached max_deliver; moved to the dead-letter stream');
      },
      onError: (error, durable, streamSeq) =>
        this.logger.error({ err: error, consumer: durable, streamSeq, stream: this.stream }, 'usage event reached max_deliver and could not be parked; it stays in the usage stream at this sequence'),
    });
  }

  /** Stops holding events for a database that is away (they stay unacknowledged) and the advisories. */
  stop(): void {
    this.stopped = true;
    this.wake?.();
    this.advisories?.stop();
  }

  /** One batch of the ledger's consumer (the bus transport hands them in as they arrive). */
  async handleBatch(messages: JsMsg[]): Promise<void> {
    const ready: Pending[] = [];
    for (const message of messages) {
      const pending = await this.prepare(message);
      if (pending) ready.push(pending);
    }
    if (ready.length === 0) return;
    if (ready.length === 1) return this.record(ready[0].message, ready[0].messageId, ready[0].event, ready[0].entry);
    await this.recordBatch(ready);
  }

  /** The ledger entry of a message, or undefined when the message was handled here (a replay for another consumer, parked). */
  private async prepare(message: JsMsg): Promise<Pending | undefined> {
    if (replayedForAnother(message.headers, this.options.durableName)) {
      message.ack();
      return undefined;
    }
    const messageId = originalMessageId(message);
    const parsed = usageEventSchema.safeParse(parseJson(message));
    if (!parsed.success) {
      const problems = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
      await this.park(message, messageId, `invalid usage event: ${problems.join('; ')}`);
      return undefined;
    }
    const event = parsed.data;
    try {
      await this.pricer.ensureKnown(event.deploymentId);
      return { message, messageId, event, entry: this.pricer.price(event, messageId) };
    } catch (error) {
      await this.park(message, messageId, `could not price the event: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  /**
   * One transaction for the batch. While Postgres is unreachable the batch is held (as one event is);
   * any other failure records the batch again one event at a time, so each event meets its own fate.
   */
  private async recordBatch(batch: Pending[]): Promise<void> {
    for (let probe = 0; ; probe += 1) {
      try {
        const inserted = await this.ledger.recordBatch(batch.map((item) => item.entry));
        for (const item of batch) this.recorded(item, inserted.has(item.entry.messageId));
        return;
      } catch (error) {
        const failure = classifyLedgerFailure(error);
        if (failure.kind !== 'transient') break;
        if (this.stopped) return;
        if (probe === 0) this.logger.warn({ events: batch.length, reason: failure.reason }, 'Postgres unavailable; holding the usage events until it returns');
        for (const item of batch) item.message.working();
        await this.pause(this.holdDelayMs(probe));
      }
    }
    for (const item of batch) await this.record(item.message, item.messageId, item.event, item.entry);
  }

  /** Acknowledges a recorded event, with its span, metrics and log. */
  private recorded(item: Pending, inserted: boolean): void {
    item.message.ack();
    this.processed += 1;
    this.lastFailures.delete(item.message.info.streamSequence);
    this.observer?.recorded(item.entry, inserted);
    const span = this.consumerSpan(item.event);
    span.setAttributes({ 'switchboard.cost_usd': item.entry.cost, 'switchboard.duplicate': !inserted });
    endSpan(span);
    if (!inserted) this.logger.debug({ messageId: item.messageId }, 'usage event already recorded');
  }

  private consumerSpan(event: UsageEventV1) {
    return this.tracing.tracer.startSpan(
      'process usage',
      { kind: SpanKind.CONSUMER, attributes: { 'messaging.system': 'nats', 'switchboard.request_id': event.requestId, 'switchboard.model_group': event.modelGroup } },
      extractContext({ traceparent: event.traceparent }),
    );
  }

  /** One event, in its own transaction: the path of a lone event, and of each event of a batch the database refused. */
  private async record(message: JsMsg, messageId: string, event: UsageEventV1, entry: LedgerEntry): Promise<void> {
    for (let probe = 0; ; probe += 1) {
      try {
        this.recorded({ message, messageId, event, entry }, await this.ledger.record(entry));
        return;
      } catch (error) {
        const failure = classifyLedgerFailure(error);
        if (failure.kind === 'transient') {
          // Shutting down: leave it unacknowledged; the server redelivers it after the ack wait.
          if (this.stopped) return;
          if (probe === 0) this.logger.warn({ messageId, reason: failure.reason }, 'Postgres unavailable; holding the usage event until it returns');
          // Tells the server the event is in hand: its ack wait starts again and no delivery is counted.
          message.working();
          await this.pause(this.holdDelayMs(probe));
          continue;
        }
        endSpan(this.consumerSpan(event), failure.kind === 'permanent' ? 'ledger_refused' : 'ledger_error');
        if (failure.kind === 'permanent' || isLastDelivery(this.options.policy, message.info.deliveryCount)) {
          await this.park(message, messageId, failure.kind === 'permanent' ? failure.reason : `gave up after ${message.info.deliveryCount} deliveries: ${failure.reason}`);
          return;
        }
        // Left unacknowledged: the server delivers it again on the consumer's backoff.
        this.remember(message.info.streamSequence, failure.reason);
        this.logger.warn({ messageId, reason: failure.reason, delivery: message.info.deliveryCount, retryInMs: retryDelayMs(this.options.policy, message.info.deliveryCount) }, 'could not record usage event; will retry');
        return;
      }
    }
  }

  /** Probes of a database outage: quick at first, then at half the ack wait, so the held event never times out. */
  private holdDelayMs(probe: number): number {
    return Math.min(500 * 2 ** Math.min(probe, 10), this.options.policy.backoffMs[0] / 2);
  }

  private async park(message: JsMsg, messageId: string, reason: string): Promise<void> {
    if (await parkMessage(this.connection, this.deadLetterSubject, this.options.durableName, message, reason)) {
      this.lastFailures.delete(message.info.streamSequence);
      this.observer?.deadLettered();
      this.logger.error({ messageId, reason, delivery: message.info.deliveryCount }, 'usage event moved to the dead-letter stream');
      return;
    }
    // The dead letter could not be written (NATS trouble): left unacknowledged, the event comes back rather than being lost.
    this.remember(message.info.streamSequence, reason);
    this.logger.warn({ messageId, reason }, 'could not write the dead letter; the event will be delivered again');
  }

  private remember(streamSeq: number, reason: string): void {
    if (this.lastFailures.size >= rememberedFailures) this.lastFailures.delete(this.lastFailures.keys().next().value as number);
    this.lastFailures.set(streamSeq, reason);
  }

  private pause(milliseconds: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, milliseconds);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

function parseJson(message: JsMsg): unknown {
  try {
    return message.json();
  } catch {
    return undefined;
  }
}
