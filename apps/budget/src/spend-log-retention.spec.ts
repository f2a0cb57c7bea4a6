import { describe, expect, it } from 'vitest';
import { spendLogRetention } from './spend-log-retention';

describe('spendLogRetention', () => {
  it.each([
    [{}, undefined, { retentionDays: undefined, intervalMs: 3_600_000 }],
    [{}, 7, { retentionDays: 7, intervalMs: 3_600_000 }],
    [{ maximum_spend_logs_retention_period: '30d' }, 7, { retentionDays: 30, intervalMs: 3_600_000 }],
    [{ maximum_spend_logs_retention_period: '12h', maximum_spend_logs_retention_interval: '1d' }, undefined, { retentionDays: 0.5, intervalMs: 86_400_000 }],
    [{ maximum_spend_logs_retention_period: '1d', maximum_spend_logs_retention_interval: '5s' }, undefined, { retentionDays: 1, intervalMs: 60_000 }],
  ])('general settings %j over SPEND_LOG_RETENTION_DAYS=%s give %j', (general, days, expected) => {
    expect(spendLogRetention(general, days)).toEqual(expected);
  });
});
