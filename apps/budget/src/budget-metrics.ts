import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { LedgerEntry } from '@switchboard/data-access-spend';
import { createMetricsRegistry } from '@switchboard/observability';
import { parseUsd, usdToNumber } from '@switchboard/pricing';
import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';

/** What the ledger consumer reports: each event's fate, and the entry when its row was really inserted. */
export interface LedgerObserver {
  recorded(entry: LedgerEntry, inserted: boolean): void;
  deadLettered(): void;
}

/** A durable JetStream consumer whose backlog is reported at scrape time. */
export interface PendingSource {
  connection: NatsConnection;
  stream: string;
  durableName: string;
}

type SpendLabels = { model_group: string; team: string; key_alias: string };

/**
 * The budget service's Prometheus series (docs/metrics.md). Spend is summed exactly, in the ledger's
 * integer pico-dollars, and turned into a double only when scraped: adding each event's cost as a
 * float would drift from the ledger's sum.
 */
export class BudgetMetrics implements LedgerObserver {
  readonly registry: Registry;
  private readonly spendTotals = new Map<string, { labels: SpendLabels; units: bigint }>();
  private readonly events: Counter<'status'>;

  constructor(pending?: PendingSource) {
    this.registry = createMetricsRegistry('budget');
    const registers = [this.registry];
    const totals = this.spendTotals;
    new Counter({
      name: 'switchboard_spend_usd_total',
      help: 'Priced cost recorded in the spend ledger (USD), duplicates never counted',
      labelNames: ['model_group', 'team', 'key_alias'],
      registers,
      collect() {
        this.reset();
        for (const { labels, units } of totals.values()) this.inc(labels, usdToNumber(units));
      },
    });
    this.events = new Counter({
      name: 'switchboard_ledger_events_total',
      help: 'Usage events handled by the ledger consumer: inserted, duplicate (already recorded) or dead_lettered (invalid)',
      labelNames: ['status'],
      registers,
    });
    for (const status of ['inserted', 'duplicate', 'dead_lettered']) this.events.inc({ status }, 0);
    if (pending) registerPendingGauge(this.registry, [pending]);
  }

  recorded(entry: LedgerEntry, inserted: boolean): void {
    this.events.inc({ status: inserted ? 'inserted' : 'duplicate' });
    if (!inserted) return;
    const labels: SpendLabels = { model_group: entry.modelGroup, team: entry.teamId ?? 'none', key_alias: entry.keyAlias ?? 'none' };
    const key = JSON.stringify([labels.model_group, labels.team, labels.key_alias]);
    const total = this.spendTotals.get(key);
    const cost = parseUsd(entry.cost);
    if (total) total.units += cost;
    else this.spendTotals.set(key, { labels, units: cost });
  }

  deadLettered(): void {
    this.events.inc({ status: 'dead_lettered' });
  }
}

/**
 * `switchboard_usage_consumer_pending{consumer}`: events of the usage stream a durable consumer has not
 * acknowledged yet (not delivered, plus delivered and unacknowledged), read from JetStream at scrape time.
 * A consumer JetStream cannot answer for is left out of the scrape rather than reported with a stale value.
 */
export function registerPendingGauge(registry: Registry, sources: readonly PendingSource[]): Gauge<'consumer'> {
  return new Gauge({
    name: 'switchboard_usage_consumer_pending',
    help: 'Usage events a durable consumer has not acknowledged yet (num_pending + num_ack_pending)',
    labelNames: ['consumer'],
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all(
        sources.map(async (source) => {
          try {
            const info = await (await jetstreamManager(source.connection)).consumers.info(source.stream, source.durableName);
            this.set({ consumer: source.durableName }, info.num_pending + info.num_ack_pending);
          } catch {
            // NATS unreachable or the consumer gone: no sample this scrape.
          }
        }),
      );
    },
  });
}
