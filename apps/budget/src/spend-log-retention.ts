import { parseDuration } from '@switchboard/identity';

const hourMs = 3_600_000;

/**
 * How long spend log (ledger) rows are kept and how often old ones are deleted: LiteLLM's
 * `general_settings.maximum_spend_logs_retention_period` (`30d`, `12h`) and
 * `maximum_spend_logs_retention_interval` (default hourly), else `SPEND_LOG_RETENTION_DAYS`.
 * Totals and daily aggregates stay whatever the retention.
 */
export function spendLogRetention(general: Readonly<Record<string, unknown>>, environmentDays: number | undefined): { retentionDays?: number; intervalMs: number } {
  const period = general.maximum_spend_logs_retention_period;
  const interval = general.maximum_spend_logs_retention_interval;
  return {
    retentionDays: typeof period === 'string' ? parseDuration(period) / 86_400_000 : environmentDays,
    intervalMs: typeof interval === 'string' ? Math.max(60_000, parseDuration(interval)) : hourMs,
  };
}
