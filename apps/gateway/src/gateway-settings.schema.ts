import { z } from 'zod';
import { pricingSettingsShape } from '@switchboard/pricing';

/** Everything the gateway reads from its environment, parsed once at boot. Nothing else reads `process.env`. */
export const gatewaySettingsSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  NATS_URL: z.string().default('nats://127.0.0.1:4222'),
  DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/switchboard'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  /** Prefix of every Redis key this deployment writes (tests use one per run). */
  REDIS_KEY_PREFIX: z.string().default('sb:'),
  /** Upper bound of any Redis command on the request path. */
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().positive().default(100),
  SWITCHBOARD_CONFIG: z.string().default('config/switchboard.yaml'),
  SWITCHBOARD_SUBJECT_PREFIX: z.string().default('sb'),
  MASTER_KEY: z.string().optional(),
  LITELLM_MASTER_KEY: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().nonnegative().default(30),
  /** Prometheus `/metrics` on its own internal port (0 turns it off). */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  METRICS_HOST: z.string().default('0.0.0.0'),
  /** When set, scrapes must send `Authorization: Bearer <token>`. */
  METRICS_AUTH_TOKEN: z.string().optional(),
  /** Longest wait for one deployment's probe on `GET /health`. */
  HEALTH_CHECK_TIMEOUT_SECONDS: z.coerce.number().positive().default(10),
  /** Extra time the gateway waits beyond a deployment's own timeout before answering 504 itself. */
  GATEWAY_TIMEOUT_GRACE_MS: z.coerce.number().int().nonnegative().default(2_000),
  /**
   * How long a verified virtual key is trusted without asking the auth service again. Changes
   * reach every instance at once through the `changed` broadcast; this bounds a lost broadcast.
   */
  AUTH_CACHE_TTL_SECONDS: z.coerce.number().positive().default(60),
  /** How long an unknown key stays refused from the cache (a key created meanwhile clears it). */
  AUTH_NEGATIVE_CACHE_SECONDS: z.coerce.number().nonnegative().default(5),
  /** Longest wait for the auth service on a cache miss before answering 503. */
  AUTH_TIMEOUT_MS: z.coerce.number().int().positive().default(2_000),
  /**
   * How much of a streamed answer may wait for a client that stopped reading (unread reply frames)
   * before the client is cut and the upstream call cancelled.
   */
  STREAM_BUFFER_LIMIT_BYTES: z.coerce.number().int().positive().default(1_048_576),
  /**
   * Longest wait for the budget service when a budget period's counter is missing in Redis and its
   * spend must be read from the ledger (a new period or budget, a Redis loss); then 503.
   */
  BUDGET_SEED_TIMEOUT_MS: z.coerce.number().int().positive().default(3_000),
  /** Longest wait for the budget service's answer to a spend report (`/spend/logs`, `/global/spend/*`, ...); then 503. */
  SPEND_REPORT_TIMEOUT_MS: z.coerce.number().int().positive().default(6_000),
  /** Admin UI sign-in (LiteLLM's names): `UI_USERNAME` / `UI_PASSWORD` sign in as the proxy admin; the password defaults to the master key. */
  UI_USERNAME: z.string().min(1).default('admin'),
  UI_PASSWORD: z.string().min(1).optional(),
  /** How long an admin UI session lasts (LiteLLM's `LITELLM_UI_SESSION_DURATION`), e.g. `8h`, `1d`. */
  LITELLM_UI_SESSION_DURATION: z
    .string()
    .default('24h')
    .refine((value) => /^\d+\s*(s|m|h|d|w|mo)$/.test(value.trim()), 'must be a duration like 30m, 8h or 1d'),
  /** Where the built admin UI is (default: `dist/apps/ui` beside the gateway's bundle). */
  UI_ASSETS_DIR: z.string().optional(),
  /** A trace UI link for the Logs page, `{request_id}` replaced (e.g. a Jaeger search on `switchboard.request_id`). */
  UI_TRACE_URL: z.string().startsWith('http', 'must be an http(s) URL').optional(),
  /**
   * A worker whose reply has been silent this long (no frame, no heartbeat) is taken for dead: the
   * request fails with a retryable 503 before output (dispatched once more first), in-band after.
   */
  WORKER_SILENCE_TIMEOUT_MS: z.coerce.number().int().min(500).default(3_000),
  /**
   * How long the gateway waits before recording its estimate of a request whose worker went silent
   * mid-answer (a worker that was only slow records the exact usage first, and wins: same message id).
   */
  LOST_WORKER_USAGE_GRACE_MS: z.coerce.number().int().nonnegative().default(30_000),
  /**
   * Response cache (litellm_settings.cache): longest a lookup may take before the request goes
   * upstream instead (the event loop's own lag is not counted against the backend).
   */
  CACHE_LOOKUP_TIMEOUT_MS: z.coerce.number().int().positive().default(5),
  /** Longest a cache write (after the answer was sent) may take. */
  CACHE_WRITE_TIMEOUT_MS: z.coerce.number().int().positive().default(1_000),
  /** How long entries live when neither `cache_params.ttl` nor the request's `ttl` says. */
  CACHE_DEFAULT_TTL_SECONDS: z.coerce.number().positive().default(600),
  /** Memory the local cache (`type: local`) may take in each gateway. */
  CACHE_LOCAL_MAX_BYTES: z.coerce.number().int().positive().default(67_108_864),
  /** Larger answers are not stored. */
  CACHE_MAX_ENTRY_BYTES: z.coerce.number().int().positive().default(1_048_576),
  /** Entries per semantic bucket (model group, namespace, tenant, parameters), in Redis and in each gateway's index. */
  CACHE_SEMANTIC_MAX_ENTRIES: z.coerce.number().int().positive().default(10_000),
  /** Gateway instances sharing the rate limits: while Redis is down each enforces `limit / GATEWAY_INSTANCES` locally. */
  GATEWAY_INSTANCES: z.coerce.number().int().positive().default(1),
  /** `PRICE_OVERRIDES_FILE`: the same pricing settings as the budget service's (libs/pricing), so both price alike. */
  ...pricingSettingsShape,
});

export type GatewaySettings = z.infer<typeof gatewaySettingsSchema>;

export function parseGatewaySettings(environment: NodeJS.ProcessEnv): GatewaySettings {
  const result = gatewaySettingsSchema.safeParse(environment);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
  throw new Error(`Invalid gateway environment:\n${lines}`);
}
