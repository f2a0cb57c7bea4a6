import { z } from 'zod';

/** Everything the auth service reads from its environment, parsed once at boot. */
export const authSettingsSchema = z.object({
  NATS_URL: z.string().default('nats://127.0.0.1:4222'),
  DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/switchboard'),
  SWITCHBOARD_SUBJECT_PREFIX: z.string().default('sb'),
  AUTH_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(4005),
  AUTH_HEALTH_HOST: z.string().default('0.0.0.0'),
  /**
   * Encrypts the credentials of models stored in the database. LiteLLM's `LITELLM_SALT_KEY` is
   * read too; without either, `/model/new` refuses models that carry credentials.
   */
  SALT_KEY: z.string().optional(),
  LITELLM_SALT_KEY: z.string().optional(),
  /** How long the old key of `/key/regenerate` keeps working when the request names no `grace_period`. */
  KEY_ROTATION_GRACE_PERIOD: z.string().optional(),
  LITELLM_KEY_ROTATION_GRACE_PERIOD: z.string().optional(),
  /** Longest wait for the budget service's spend totals (management views, `x-litellm-key-spend` on a key's verification). */
  SPEND_TOTALS_TIMEOUT_MS: z.coerce.number().int().positive().default(1_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type AuthSettings = z.infer<typeof authSettingsSchema>;

export function parseAuthSettings(environment: NodeJS.ProcessEnv): AuthSettings {
  const result = authSettingsSchema.safeParse(environment);
  if (result.success) return result.data;
  throw new Error(`Invalid auth environment:\n${result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n')}`);
}
