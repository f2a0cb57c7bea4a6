import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '@switchboard/data-access-spend';
import { BudgetMetrics } from './budget-metrics';

const entry = (cost: string, overrides: Partial<LedgerEntry> = {}) => ({ modelGroup: 'gpt', teamId: 'team-1', keyAlias: 'search', cost, ...overrides }) as LedgerEntry;

async function value(metrics: BudgetMetrics, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  return metric?.values.find((sample) => Object.entries(labels).every(([label, wanted]) => sample.labels[label] === wanted))?.value;
}

describe('BudgetMetrics', () => {
  it('adds spend only for inserted rows, exactly in decimal, and counts each outcome', async () => {
    const metrics = new BudgetMetrics();
    // 0.1 + 0.2 in doubles is 0.30000000000000004; the ledger's decimal sum is 0.3.
    metrics.recorded(entry('0.100000000000'), true);
    metrics.recorded(entry('0.200000000000'), true);
    metrics.recorded(entry('5.000000000000'), false);
    metrics.recorded(entry('0.000000000001', { teamId: undefined, keyAlias: undefined }), true);
    metrics.deadLettered();
    expect(await value(metrics, 'switchboard_spend_usd_total', { model_group: 'gpt', team: 'team-1', key_alias: 'search' })).toBe(0.3);
    expect(await value(metrics, 'switchboard_spend_usd_total', { team: 'none', key_alias: 'none' })).toBe(1e-12);
    expect(await value(metrics, 'switchboard_ledger_events_total', { status: 'inserted' })).toBe(3);
    expect(await value(metrics, 'switchboard_ledger_events_total', { status: 'duplicate' })).toBe(1);
    expect(await value(metrics, 'switchboard_ledger_events_total', { status: 'dead_lettered' })).toBe(1);
  });

  it('exports the series with the service label even before any event', async () => {
    const text = await new BudgetMetrics().registry.metrics();
    expect(text).toContain('# TYPE switchboard_spend_usd_total counter');
    expect(text).toMatch(/^switchboard_ledger_events_total\{status="duplicate",service="budget"\} 0$/m);
  });
});
