import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { createMetricsRegistry } from '@switchboard/observability';
import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';

/** One count of `switchboard_callback_deliveries_total`, read from the consumers at scrape time. */
export interface DeliveryCount {
  /** The configured callback's name (`webhook`, `langfuse`, ...), `per_caller` or `budget_alerts`; never a URL. */
  destination: string;
  outcome: 'delivered' | 'failed' | 'dropped' | 'dead_lettered';
  count: number;
}

export interface LoggingMetricsOptions {
  connection: NatsConnection;
  /** The usage stream the durable consumers read. */
  stream: string;
  /** The durable consumers whose backlog is reported. */
  consumers: () => readonly string[];
  /** Monotonic counts kept by the consumers. */
  deliveries: () => readonly DeliveryCount[];
}

/** The logging service's Prometheus series (docs/metrics.md). */
export function createLoggingMetrics(options: LoggingMetricsOptions): Registry {
  const registry = createMetricsRegistry('logging');
  new Counter({
    name: 'switchboard_callback_deliveries_total',
    help: 'Usage events handed to callback destinations, by outcome (failed ones are retried and count again)',
    labelNames: ['destination', 'outcome'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { destination, outcome, count } of options.deliveries()) this.inc({ destination, outcome }, count);
    },
  });
  new Gauge({
    name: 'switchboard_usage_consumer_pending',
    help: 'Usage events a durable consumer has not acknowledged yet (num_pending + num_ack_pending)',
    labelNames: ['consumer'],
    registers: [registry],
    async collect() {
      this.reset();
      const manager = await jetstreamManager(options.connection).catch(() => undefined);
      await Promise.all(
        options.consumers().map(async (consumer) => {
          try {
            const info = await manager?.consumers.info(options.stream, consumer);
            if (info) this.set({ consumer }, info.num_pending + info.num_ack_pending);
          } catch {
            // NATS unreachable or the consumer gone: no sample this scrape rather than a stale one.
          }
        }),
      );
    },
  });
  return registry;
}
