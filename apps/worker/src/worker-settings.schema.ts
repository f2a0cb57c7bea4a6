import { hostname } from 'node:os';
import { z } from 'zod';

/** Everything the worker reads from its environment, parsed once at boot. */
export const workerSettingsSchema = z.object({
  NATS_URL: z.string().default('nats://127.0.0.1:4222'),
  SWITCHBOARD_SUBJECT_PREFIX: z.string().default('sb'),
  /** Comma-separated provider names; empty means every provider Switchboard knows. */
  WORKER_PROVIDERS: z.string().default(''),
  /** Names this instance in usage events and logs. */
  WORKER_ID: z.string().default(`${hostname()}-${process.pid}`),
  WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(4001),
  WORKER_HEALTH_HOST: z.string().default('0.0.0.0'),
  /** Prometheus `/metrics` on its own internal port (0 turns it off). */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9465),
  METRICS_HOST: z.string().default('0.0.0.0'),
  METRICS_AUTH_TOKEN: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().nonnegative().default(30),
  USAGE_STREAM_MAX_AGE_HOURS: z.coerce.number().positive().default(24 * 7),
  USAGE_STREAM_DUPLICATE_WINDOW_SECONDS: z.coerce.number().positive().default(300),
  USAGE_STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  /**
   * A call whose reply has been silent this long sends an empty heartbeat, so the gateway can tell
   * a slow upstream from a dead worker (its WORKER_SILENCE_TIMEOUT_MS must be well above this).
   */
  WORKER_HEARTBEAT_MS: z.coerce.number().int().min(100).default(1_000),
});

export type WorkerSettings = z.infer<typeof workerSettingsSchema>;

export function parseWorkerSettings(environment: NodeJS.ProcessEnv): WorkerSettings {
  const result = workerSettingsSchema.safeParse(environment);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
  throw new Error(`Invalid worker environment:\n${lines}`);
}

export function selectedProviders(settings: WorkerSettings, known: readonly string[]): string[] {
  const requested = settings.WORKER_PROVIDERS.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (requested.length === 0) return [...known];
  const unknown = requested.filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new Error(`WORKER_PROVIDERS names unknown providers: ${unknown.join(', ')}`);
  return requested;
}
