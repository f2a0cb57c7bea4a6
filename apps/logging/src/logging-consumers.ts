import type { JsMsg } from '@nats-io/jetstream';
import type { JetStreamConsumerSpec } from '@switchboard/messaging';
import type { BudgetAlertConsumer } from './budget-alert.consumer';
import type { CallerDestinationConsumer } from './caller-destination.consumer';
import type { DestinationConsumer } from './destination-consumer';

/**
 * The logging service's durable consumers: one per configured destination (every usage event), one for
 * the per-key and per-team destinations (only events routed `logged`), one for budget alerts. The bus
 * transport reads them; the handlers route each batch here by its consumer.
 */
export class LoggingConsumers {
  private readonly byDurable: Map<string, DestinationConsumer | CallerDestinationConsumer>;

  constructor(
    readonly destinations: readonly DestinationConsumer[],
    readonly perCaller: CallerDestinationConsumer | undefined,
    readonly alerts: BudgetAlertConsumer | undefined,
  ) {
    this.byDurable = new Map([...destinations, ...(perCaller ? [perCaller] : [])].map((consumer) => [consumer.durable, consumer]));
  }

  get durables(): string[] {
    return [...this.byDurable.keys(), ...(this.alerts ? [this.alerts.durable] : [])];
  }

  usageSpecs(): JetStreamConsumerSpec[] {
    return [...this.byDurable.values()].map((consumer) => consumer.consumerSpec());
  }

  alertSpecs(): JetStreamConsumerSpec[] {
    return this.alerts ? [this.alerts.consumerSpec()] : [];
  }

  handleUsage(durable: string, messages: JsMsg[]): Promise<void> {
    const consumer = this.byDurable.get(durable);
    if (!consumer) throw new Error(`No logging consumer '${durable}'`);
    return consumer.handleBatch(messages);
  }

  handleAlerts(messages: JsMsg[]): Promise<void> {
    if (!this.alerts) throw new Error('Budget alerts are not delivered by this instance');
    return this.alerts.handleBatch(messages);
  }

  async stop(): Promise<void> {
    for (const consumer of this.destinations) consumer.stop();
    await this.perCaller?.stop();
  }
}
