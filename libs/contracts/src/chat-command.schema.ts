import { z } from 'zod';

/** Primitive values become strings (as LiteLLM's AddTeamCallback does); anything else is dropped. */
const callbackVarsSchema = z.record(z.string(), z.unknown()).transform((vars) => {
  const strings: Record<string, string> = {};
  for (const [name, value] of Object.entries(vars)) {
    if (typeof value === 'string') strings[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') strings[name] = String(value);
  }
  return strings;
});

/**
 * One entry of a key's or team's `metadata.logging` (LiteLLM's key / team based logging,
 * https://docs.litellm.ai/docs/proxy/team_logging). `callback_vars` values are literals or
 * `os.environ/NAME` references, resolved only by the logging service.
 */
export const callerLoggingSchema = z.object({
  callback_name: z.string().min(1),
  /** LiteLLM's default when absent. */
  callback_type: z.enum(['success', 'failure', 'success_and_failure']).default('success_and_failure'),
  callback_vars: callbackVarsSchema.default({}),
});
export type CallerLogging = z.infer<typeof callerLoggingSchema>;

/**
 * A `metadata.logging` value, tolerantly: anything that is not a list is no list, and entries that
 * are not valid are left out, so a bad entry in someone's metadata never fails a request.
 */
export function parseCallerLogging(value: unknown): CallerLogging[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => {
    const parsed = callerLoggingSchema.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
}

/** Who is calling: carried to the worker so the usage event names the payer. Filled by the auth layer. */
export const callerSchema = z.object({
  keyHash: z.string().optional(),
  /**
   * The key's stable id: its first hash, kept when the key is regenerated, so spend, budgets and
   * limits follow the key (absent: the key hash is the id).
   */
  keyId: z.string().optional(),
  keyAlias: z.string().optional(),
  userId: z.string().optional(),
  teamId: z.string().optional(),
  organizationId: z.string().optional(),
  customerId: z.string().optional(),
  tags: z.array(z.string()).optional(),
  /** The key's `metadata.logging` entries, then its team's: extra destinations for this caller's usage events. */
  logging: z.unknown().transform(parseCallerLogging).optional(),
});
export type Caller = z.infer<typeof callerSchema>;

export const deploymentRefSchema = z.object({
  id: z.string(),
  modelGroup: z.string(),
  /** The deployment's `litellm_params`, references (`os.environ/NAME`) unresolved. */
  params: z.looseObject({ model: z.string() }),
});
export type DeploymentRef = z.infer<typeof deploymentRefSchema>;

/**
 * v1 of the chat command. The request itself was validated at the edge; here it is checked
 * only for its envelope so a worker never trusts a malformed message.
 */
export const chatCommandSchema = z.object({
  v: z.literal(1),
  requestId: z.string().min(1),
  stream: z.boolean(),
  deployment: deploymentRefSchema,
  request: z.looseObject({ model: z.string(), messages: z.array(z.unknown()) }),
  caller: callerSchema.optional(),
  receivedAt: z.number(),
  /** Per-request overrides of the deployment's timeouts (`x-litellm-timeout`, `x-litellm-stream-timeout`). */
  timeoutMs: z.number().positive().optional(),
  streamTimeoutMs: z.number().positive().optional(),
  /** 1 for the first upstream attempt of the request, 2 for its first retry or fallback, ... */
  attempt: z.number().int().positive().default(1),
  /** `general_settings.store_prompts_in_spend_logs`: the usage event carries the messages and the answer. */
  storePrompt: z.boolean().optional(),
});
export type ChatCommandV1 = z.infer<typeof chatCommandSchema>;

export const cancelCommandSchema = z.object({ v: z.literal(1), requestId: z.string().min(1) });
export type CancelCommandV1 = z.infer<typeof cancelCommandSchema>;

/** v1 of the embedding command. */
export const embedCommandSchema = z.object({
  v: z.literal(1),
  requestId: z.string().min(1),
  deployment: deploymentRefSchema,
  request: z.looseObject({ model: z.string(), input: z.unknown() }),
  caller: callerSchema.optional(),
  receivedAt: z.number(),
  attempt: z.number().int().positive().default(1),
  /** Per-request override of the deployment's timeout (`timeout` / `x-litellm-timeout`). */
  timeoutMs: z.number().positive().optional(),
});
export type EmbedCommandV1 = z.infer<typeof embedCommandSchema>;
