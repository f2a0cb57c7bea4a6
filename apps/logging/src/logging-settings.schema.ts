import { z } from 'zod';
import { consumerPolicyProblem, parseBackoffSeconds } from '@switchboard/messaging';

/** An optional URL where an empty value (`VAR=` in an env file) means unset. */
const optionalUrl = z.preprocess((value) => (value === '' ? undefined : value), z.string().url().optional());

/** Everything the logging service reads from its environment, parsed once at boot. */
export const loggingSettingsSchema = z.object({
  NATS_URL: z.string().default('nats://127.0.0.1:4222'),
  SWITCHBOARD_CONFIG: z.string().default('config/switchboard.yaml'),
  SWITCHBOARD_SUBJECT_PREFIX: z.string().default('sb'),
  LOGGING_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(4004),
  LOGGING_HEALTH_HOST: z.string().default('0.0.0.0'),
  /** Prometheus `/metrics` on its own internal port (docs/metrics.md); 0 turns it off. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9467),
  METRICS_HOST: z.string().default('0.0.0.0'),
  /** When set, scrapes must send `Authorization: Bearer <token>`. */
  METRICS_AUTH_TOKEN: z.string().optional(),
  /** LiteLLM's generic webhook logger: where `webhook` / `generic_api` callbacks post. */
  GENERIC_LOGGER_ENDPOINT: optionalUrl,
  /** Extra headers for it, `name=value,name=value` (LiteLLM's format). */
  GENERIC_LOGGER_HEADERS: z.string().optional(),
  LANGFUSE_HOST: z.string().url().default('https://cloud.langfuse.com'),
  LANGFUSE_PUBLIC_KEY: z.string().optional(),
  LANGFUSE_SECRET_KEY: z.string().optional(),
  /** OTLP/HTTP endpoint for `otel` callbacks (OpenTelemetry logs); the standard variable. */
  OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: optionalUrl,
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  /** LiteLLM's alerting webhook (`general_settings.alerting: ["webhook"]`): budget alerts are POSTed here. */
  WEBHOOK_URL: optionalUrl,
  /** `s3` callbacks: LiteLLM's s3_callback_params, as environment variables. */
  S3_CALLBACK_BUCKET: z.string().optional(),
  S3_CALLBACK_REGION: z.string().default('us-east-1'),
  S3_CALLBACK_ENDPOINT: z.string().url().optional(),
  S3_CALLBACK_PREFIX: z.string().default('switchboard/'),
  AWS_ACCESS_KEY_ID: z.string().optional(),
  AWS_SECRET_ACCESS_KEY: z.string().optional(),
  AWS_SESSION_TOKEN: z.string().optional(),
  /** Events per delivery and the longest wait to fill a batch. */
  CALLBACK_BATCH_SIZE: z.coerce.number().int().min(1).max(1_000).default(100),
  // JetStream's pull requests expire after 1 s at the least.
  CALLBACK_FLUSH_MS: z.coerce.number().int().min(1_000).default(1_000),
  CALLBACK_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** Per-key and per-team callbacks (`metadata.logging` of keys and teams); `false` ignores them. */
  CALLER_CALLBACKS_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  /**
   * Variables a key's or team's `callback_vars` may name as `os.environ/NAME`: names, or prefixes
   * ending in `*`, comma-separated. Empty (the default): none, so metadata writers cannot send this
   * service's own secrets anywhere.
   */
  CALLBACK_VARS_ENV_ALLOWLIST: z.string().default(''),
  /** Events waiting for per-caller destinations, retries included (the consumer's max_ack_pending). */
  CALLER_CALLBACK_MAX_PENDING: z.coerce.number().int().min(100).default(20_000),
  /** Events one per-caller destination that is down keeps for retry; newer ones are dropped for it. */
  CALLER_CALLBACK_MAX_RETRYING: z.coerce.number().int().min(1).default(500),
  /**
   * `max_deliver` of every logging consumer: deliveries of an event a destination keeps failing before
   * it is parked in the dead-letter stream (docs/ARCHITECTURE.md, "Faults").
   */
  CALLBACK_MAX_DELIVERIES: z.coerce.number().int().min(2).default(10),
  /**
   * `backoff` of every logging consumer, seconds, comma-separated: delivery n may stay unacknowledged for
   * the n-th value (the last repeats) and a failed delivery n is retried that much later. The first is the
   * ack wait, so it must cover one batch: CALLBACK_FLUSH_MS + CALLBACK_TIMEOUT_MS.
   */
  CALLBACK_BACKOFF_SECONDS: z
    .string()
    .default('60,120,300,600')
    .transform((text, context) => {
      const delays = parseBackoffSeconds(text);
      if (!delays) context.addIssue({ code: 'custom', message: 'a comma-separated list of seconds, like 60,120,300' });
      return delays ?? [];
    }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type LoggingSettings = z.infer<typeof loggingSettingsSchema>;

const policySchema = loggingSettingsSchema.superRefine((settings, context) => {
  if (settings.CALLBACK_BACKOFF_SECONDS.length === 0) return;
  const problem = consumerPolicyProblem(
    { backoffMs: settings.CALLBACK_BACKOFF_SECONDS, maxDeliver: settings.CALLBACK_MAX_DELIVERIES },
    { backoff: 'CALLBACK_BACKOFF_SECONDS', maxDeliver: 'CALLBACK_MAX_DELIVERIES' },
  );
  if (problem) context.addIssue({ code: 'custom', path: ['CALLBACK_MAX_DELIVERIES'], message: problem });
  // A batch still being delivered must not be redelivered under it.
  const batchMs = settings.CALLBACK_FLUSH_MS + settings.CALLBACK_TIMEOUT_MS;
  if (settings.CALLBACK_BACKOFF_SECONDS[0] < batchMs) {
    context.addIssue({ code: 'custom', path: ['CALLBACK_BACKOFF_SECONDS'], message: `the first delay (the ack wait) must be at least CALLBACK_FLUSH_MS + CALLBACK_TIMEOUT_MS (${batchMs / 1_000} s)` });
  }
});

export function parseLoggingSettings(environment: NodeJS.ProcessEnv): LoggingSettings {
  const result = policySchema.safeParse(environment);
  if (result.success) return result.data;
  throw new Error(`Invalid logging environment:\n${result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n')}`);
}
