import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { request } from 'undici';
import { budgetAlertSchema, usageSubjects } from '@switchboard/contracts';
import type { BudgetAlertV1, SubjectNamespace } from '@switchboard/contracts';
import { isLastDelivery, parkMessage, replayedForAnother, retryDelayMs } from '@switchboard/messaging';
import type { ConsumerPolicy } from '@switchboard/messaging';
import type { Logger } from '@switchboard/observability';
import { refusedDelivery } from './callback-destination';
import { classifyDeliveryFailure } from './delivery-failure';
import type { FailureMemory } from './failure-memory';
import { messageJson, openUsageConsumer, Pauser } from './usage-stream-consumer';

export interface BudgetAlertOptions {
  webhookUrl: string;
  timeoutMs: number;
  policy: ConsumerPolicy;
  failures: FailureMemory;
}

/**
 * LiteLLM's webhook alerting for budgets: each `soft_budget_crossed` alert is POSTed to
 * `WEBHOOK_URL` in LiteLLM's `WebhookEvent` shape. Its own durable consumer: an alert is acked
 * only once the webhook took it, retried on the consumer's backoff while it is down, and parked in the
 * dead-letter stream when it is invalid, refused for good, or reaches max_deliver: never lost.
 */
export class BudgetAlertConsumer {
  /** Its durable JetStream consumer of the usage stream. */
  readonly durable = 'logging-budget-alerts';
  private stopped = false;
  private loop: Promise<void> | undefined;
  private batch: ConsumerMessages | undefined;
  private readonly pauser = new Pauser();
  delivered = 0;
  deadLettered = 0;

  constructor(
    private readonly connection: NatsConnection,
    private readonly namespace: SubjectNamespace,
    private readonly logger: Logger,
    private readonly options: BudgetAlertOptions,
  ) {}

  async start(): Promise<void> {
    this.loop = this.run(await openUsageConsumer(this.connection, this.namespace, { durable: this.durable, filterSubject: usageSubjects.budgetAlert(this.namespace), policy: this.options.policy }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.pauser.interrupt();
    await this.batch?.close().catch(() => undefined);
    await this.loop;
  }

  private async run(consumer: Consumer): Promise<void> {
    while (!this.stopped) {
      try {
        this.batch = await consumer.fetch({ max_messages: 20, expires: 1_000 });
        for await (const message of this.batch) await this.handle(message);
      } catch {
        if (this.stopped) break;
        await this.pauser.pause(1_000);
      }
    }
  }

  private async handle(message: JsMsg): Promise<void> {
    if (replayedForAnother(message.headers, this.durable)) {
      message.ack();
      return;
    }
    const parsed = budgetAlertSchema.safeParse(messageJson(message));
    if (!parsed.success) {
      // This consumer is the only reader of budget alerts: parking the invalid ones is its job.
      await this.park(message, `invalid budget alert: ${parsed.error.issues[0]?.message ?? 'not JSON'}`);
      return;
    }
    try {
      await this.post(parsed.data);
      message.ack();
      this.delivered += 1;
    } catch (error) {
      const failure = classifyDeliveryFailure(error);
      const delivery = message.info.deliveryCount;
      if (failure.kind === 'permanent' || isLastDelivery(this.options.policy, delivery)) {
        await this.park(message, failure.kind === 'permanent' ? failure.reason : `gave up after ${delivery} deliveries: ${failure.reason}`);
        return;
      }
      // Left unacknowledged: the server delivers it again on the consumer's backoff.
      this.options.failures.remember(this.durable, message.info.streamSequence, failure.reason);
      this.logger.warn({ reason: failure.reason, delivery, retryInMs: retryDelayMs(this.options.policy, delivery) }, 'budget alert webhook failed; will retry');
    }
  }

  private async park(message: JsMsg, reason: string): Promise<void> {
    if (await parkMessage(this.connection, usageSubjects.dead(this.namespace), this.durable, message, reason)) {
      this.deadLettered += 1;
      this.logger.error({ reason }, 'budget alert moved to the dead-letter stream');
      return;
    }
    // The dead letter could not be written: left unacknowledged, the alert comes back rather than being lost.
  }

  private async post(alert: BudgetAlertV1): Promise<void> {
    const owner: Record<string, string | undefined> = {
      token: alert.entityType === 'key' ? alert.entityId : undefined,
      team_id: alert.entityType === 'team' ? alert.entityId : undefined,
      user_id: alert.entityType === 'user' ? alert.entityId : undefined,
      customer_id: alert.entityType === 'customer' ? alert.entityId : undefined,
    };
    const response = await request(this.options.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        event: 'soft_budget_crossed',
        event_group: alert.entityType,
        event_message: `Soft budget crossed: ${alert.spend.toFixed(6)} USD spent of a ${alert.softBudget} USD soft budget this period`,
        spend: alert.spend,
        soft_budget: alert.softBudget,
        max_budget: alert.maxBudget ?? null,
        key_alias: alert.keyAlias ?? null,
        period_start: alert.periodStart,
        ...owner,
      }),
      headersTimeout: this.options.timeoutMs,
      bodyTimeout: this.options.timeoutMs,
    });
    await response.body.dump();
    if (response.statusCode >= 300) throw refusedDelivery('alerting webhook', response.statusCode);
  }
}
