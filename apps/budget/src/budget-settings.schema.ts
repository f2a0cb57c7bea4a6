import { z } from 'zod';
import { consumerPolicyProblem, parseBackoffSeconds } from '@switchboard/messaging';
import { pricingSettingsShape } from '@switchboard/pricing';

/** Everything the budget service reads from its environment, parsed once at boot. */
export const budgetSettingsSchema = z.object({
  NATS_URL: z.string().default('nats://127.0.0.1:4222'),
  DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/switchboard'),
  SWITCHBOARD_CONFIG: z.string().default('config/switchboard.yaml'),
  SWITCHBOARD_SUBJECT_PREFIX: z.string().default('sb'),
  BUDGET_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(4003),
  BUDGET_HEALTH_HOST: z.string().default('0.0.0.0'),
  /** Prometheus `/metrics` on its own internal port (docs/metrics.md); 0 turns it off. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9466),
  METRICS_HOST: z.string().default('0.0.0.0'),
  /** When set, scrapes must send `Authorization: Bearer <token>`. */
  METRICS_AUTH_TOKEN: z.string().optional(),
  /** `PRICE_OVERRIDES_FILE`: the same pricing settings as the gateway's (libs/pricing), so both price alike. */
  ...pricingSettingsShape,
  /**
   * The ledger consumer's `max_deliver`: deliveries of an event that fails for an unclassified reason
   * before it is parked in the dead-letter stream (docs/ARCHITECTURE.md, "Faults").
   */
  USAGE_MAX_DELIVERIES: z.coerce.number().int().min(2).default(6),
  /**
   * The ledger consumer's `backoff`, seconds, comma-separated: delivery n may stay unacknowledged for the
   * n-th value (the last repeats) and a failed delivery n is retried that much later. The first is the ack wait.
   */
  USAGE_BACKOFF_SECONDS: z
    .string()
    .default('10,30,60,120')
    .transform((text, context) => {
      const delays = parseBackoffSeconds(text);
      if (!delays) context.addIssue({ code: 'custom', message: 'a comma-separated list of seconds, like 10,30,60' });
      return delays ?? [];
    }),
  /** Spend log retention: ledger rows older than this many days are deleted hourly (totals and daily aggregates stay). Unset keeps them. */
  SPEND_LOG_RETENTION_DAYS: z.coerce.number().positive().optional(),
  /**
   * Bound of a `period_spend` answer (a gateway seeding a missing budget counter): waiting for the
   * ledger to hold every usage event published before the question, then the query. Keep it under
   * the gateways' BUDGET_SEED_TIMEOUT_MS.
   */
  PERIOD_SPEND_TIMEOUT_MS: z.coerce.number().int().positive().default(2_000),
  /**
   * Bound of one spend report's queries (`/spend/logs`, `/global/spend/*`, ...: a statement timeout).
   * Keep it under the gateways' SPEND_REPORT_TIMEOUT_MS, so the gateway hears why.
   */
  SPEND_REPORT_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type BudgetSettings = z.infer<typeof budgetSettingsSchema>;

const policySchema = budgetSettingsSchema.superRefine((settings, context) => {
  const problem = consumerPolicyProblem(
    { backoffMs: settings.USAGE_BACKOFF_SECONDS, maxDeliver: settings.USAGE_MAX_DELIVERIES },
    { backoff: 'USAGE_BACKOFF_SECONDS', maxDeliver: 'USAGE_MAX_DELIVERIES' },
  );
  if (problem && settings.USAGE_BACKOFF_SECONDS.length > 0) context.addIssue({ code: 'custom', path: ['USAGE_MAX_DELIVERIES'], message: problem });
});

export function parseBudgetSettings(environment: NodeJS.ProcessEnv): BudgetSettings {
  const result = policySchema.safeParse(environment);
  if (result.success) return result.data;
  throw new Error(`Invalid budget environment:\n${result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n')}`);
}
