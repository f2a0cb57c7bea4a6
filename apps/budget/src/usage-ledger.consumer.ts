import { jetstream } from '@nats-io/jetstream';
import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { streamName, usageEventSchema, usageStreamDefaults, usageSubjects } from '@switchboard/contracts';
import type { SubjectNamespace, UsageEventV1 } from '@switchboard/contracts';
import type { LedgerEntry, SpendLedgerRepository } from '@switchboard/data-access-spend';
import {
  ensureDeadLetterStream,
  ensureDurableConsumer,
  ensureEventStream,
  isLastDelivery,
  originalMessageId,
  parkMessage,
  replayedForAnother,
  retryDelayMs,
  watchMaxDeliveries,
} from '@switchboard/messaging';
import type { ConsumerPolicy } from '@switchboard/messaging';
import { SpanKind, endSpan, extractContext } from '@switchboard/observability';
import type { Logger, Tracing } from '@switchboard/observability';
import type { LedgerObserver } from './budget-metrics';
import { classifyLedgerFailure } from './ledger-failure';
import type { UsagePricer } from './usage-pricer';

export interface LedgerConsumerOptions {
  durableName: string;
  /** `max_deliver` and `backoff` of the durable consumer (USAGE_MAX_DELIVERIES, USAGE_BACKOFF_SECONDS). */
  policy: ConsumerPolicy;
  /** Messages per pull; each is acknowledged before the next pull, so none waits long in memory. */
  batchSize?: number;
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
 */
export class UsageLedgerConsumer {
  private stopped = false;
  private running: Promise<void> | undefined;
  private batch: ConsumerMessages | undefined;
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

  async start(): Promise<void> {
    // The workers create the usage stream; make sure it exists when the budget service starts first.
    await ensureEventStream(this.connection, { name: this.stream, subjects: [usageSubjects.all(this.namespace)], ...usageStreamDefaults, createOnly: true });
    await ensureDeadLetterStream(this.connection, streamName(this.namespace, 'USAGE_DLQ'), this.deadLetterSubject);
    await ensureDurableConsumer(this.connection, this.stream, {
      durable: this.options.durableName,
      filterSubject: usageSubjects.recorded(this.namespace),
      policy: this.options.policy,
      maxAckPending: 1_000,
    });
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
    const consumer = await jetstream(this.connection).consumers.get(this.stream, this.options.durableName);
    this.running = this.run(consumer);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.batch?.close().catch(() => undefined);
    await this.running;
    this.advisories?.stop();
  }

  private async run(consumer: Consumer): Promise<void> {
    while (!this.stopped) {
      try {
        this.batch = await consumer.fetch({ max_messages: this.options.batchSize ?? 50, expires: 2_000 });
        for await (const message of this.batch) await this.handle(message);
      } catch (error) {
        if (this.stopped) break;
        this.logger.warn({ err: error }, 'could not pull usage events; trying again');
        await this.pause(1_000);
      }
    }
  }

  private async handle(message: JsMsg): Promise<void> {
    if (replayedForAnother(message.headers, this.options.durableName)) {
      message.ack();
      return;
    }
    const messageId = originalMessageId(message);
    const parsed = usageEventSchema.safeParse(parseJson(message));
    if (!parsed.success) {
      const problems = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
      await this.park(message, messageId, `invalid usage event: ${problems.join('; ')}`);
      return;
    }
    const event = parsed.data;
    let entry: LedgerEntry;
    try {
      await this.pricer.ensureKnown(event.deploymentId);
      entry = this.pricer.price(event, messageId);
    } catch (error) {
      await this.park(message, messageId, `could not price the event: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    await this.record(message, messageId, event, entry);
  }

  private async record(message: JsMsg, messageId: string, event: UsageEventV1, entry: LedgerEntry): Promise<void> {
    const span = this.tracing.tracer.startSpan(
      'process usage',
      { kind: SpanKind.CONSUMER, attributes: { 'messaging.system': 'nats', 'switchboard.request_id': event.requestId, 'switchboard.model_group': event.modelGroup } },
      extractContext({ traceparent: event.traceparent }),
    );
    for (let probe = 0; ; probe += 1) {
      try {
        const inserted = await this.ledger.record(entry);
        message.ack();
        this.processed += 1;
        this.lastFailures.delete(message.info.streamSequence);
        this.observer?.recorded(entry, inserted);
        span.setAttributes({ 'switchboard.cost_usd': entry.cost, 'switchboard.duplicate': !inserted });
        endSpan(span);
        if (!inserted) this.logger.debug({ messageId }, 'usage event already recorded');
        return;
      } catch (error) {
        const failure = classifyLedgerFailure(error);
        if (failure.kind === 'transient') {
          // Shutting down: leave it unacknowledged; the server redelivers it after the ack wait.
          if (this.stopped) return endSpan(span, 'ledger_unavailable');
          if (probe === 0) this.logger.warn({ messageId, reason: failure.reason }, 'Postgres unavailable; holding the usage event until it returns');
          // Tells the server the event is in hand: its ack wait starts again and no delivery is counted.
          message.working();
          await this.pause(this.holdDelayMs(probe));
          continue;
        }
        endSpan(span, failure.kind === 'permanent' ? 'ledger_refused' : 'ledger_error');
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
