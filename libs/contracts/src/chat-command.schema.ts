import { z } from 'zod';

/** Who is calling: carried to the worker so the usage event names the payer. Filled by the auth layer. */
export const callerSchema = z.object({
  keyHash: z.string().optional(),
  keyAlias: z.string().optional(),
  userId: z.string().optional(),
  teamId: z.string().optional(),
  organizationId: z.string().optional(),
  customerId: z.string().optional(),
  tags: z.array(z.string()).optional(),
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
});
export type EmbedCommandV1 = z.infer<typeof embedCommandSchema>;
