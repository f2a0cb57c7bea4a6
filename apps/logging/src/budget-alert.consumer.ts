import type { Consumer } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { request } from 'undici';
import { budgetAlertSchema, usageSubjects } from '@switchboard/contracts';
import type { BudgetAlertV1, SubjectNamespace } from '@switchboard/contracts';
import type { Logger } from '@switchboard/observability';
import { messageJson, openUsageConsumer, pause } from './usage-stream-consumer';

/**
 * LiteLLM's webhook alerting for budgets: each `soft_budget_crossed` alert is POSTed to
 * `WEBHOOK_URL` in LiteLLM's `WebhookEvent` shape. Its own durable consumer: an alert is acked
 * only once the webhook took it, retried with backoff while it is down, never lost.
 */
export class BudgetAlertConsumer {
  /** Its durable JetStream consumer of the usage stream. */
  readonly durable = 'logging-budget-alerts';
  private stopped = false;
  private loop: Promise<void> | undefined;
  delivered = 0;

  constructor(
    private readonly connection: NatsConnection,
    private readonly namespace: SubjectNamespace,
    private readonly webhookUrl: string,
    private readonly logger: Logger,
    private readonly timeoutMs: number,
  ) {}

  async start(): Promise<void> {
    this.loop = this.run(await openUsageConsumer(this.connection, this.namespace, { durable: this.durable, filterSubject: usageSubjects.budgetAlert(this.namespace) }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(consumer: Consumer): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      let messages;
      try {
        messages = await consumer.fetch({ max_messages: 20, expires: 1_000 });
      } catch {
        await pause(1_000);
        continue;
      }
      for await (const message of messages) {
        const parsed = budgetAlertSchema.safeParse(messageJson(message));
        if (!parsed.success) {
          message.term();
          continue;
        }
        try {
          await this.post(parsed.data);
          message.ack();
          this.delivered += 1;
          failures = 0;
        } catch (error) {
          failures += 1;
          const delay = Math.min(60_000, 500 * 2 ** Math.min(failures, 7));
          this.logger.warn({ err: error, delay }, 'budget alert webhook failed; will retry');
          message.nak(delay);
        }
      }
    }
  }

  private async post(alert: BudgetAlertV1): Promise<void> {
    const owner: Record<string, string | undefined> = {
      token: alert.entityType === 'key' ? alert.entityId : undefined,
      team_id: alert.entityType === 'team' ? alert.entityId : undefined,
      user_id: alert.entityType === 'user' ? alert.entityId : undefined,
      customer_id: alert.entityType === 'customer' ? alert.entityId : undefined,
    };
    const response = await request(this.webhookUrl, {
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
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
    await response.body.dump();
    if (response.statusCode >= 300) throw new Error(`webhook answered HTTP ${response.statusCode}`);
  }
}
