import { z } from 'zod';
import { callerSchema } from './chat-command.schema';

export const usageSchema = z.object({
  inputTokens: z.object({
    total: z.number().int().nonnegative(),
    noCache: z.number().int().nonnegative(),
    cacheRead: z.number().int().nonnegative(),
    cacheWrite: z.number().int().nonnegative(),
  }),
  outputTokens: z.object({
    total: z.number().int().nonnegative(),
    text: z.number().int().nonnegative(),
    reasoning: z.number().int().nonnegative(),
  }),
  raw: z.unknown().optional(),
});

export const usageStatusSchema = z.enum(['success', 'error', 'cancelled']);
export type UsageStatus = z.infer<typeof usageStatusSchema>;

/**
 * One per request, whatever its outcome; the JetStream message id is the request id, so a
 * duplicate publish inside the stream's duplicate window is dropped by the server.
 * Who publishes it: the worker whose attempt completed the request (it succeeded, or output had
 * reached the client); the gateway when every attempt failed before any output. A failed attempt
 * that the provider still billed (tokens reported) gets its own event, message id
 * `<request id>#<attempt>`, so retried requests never hide a cost.
 */
export const usageEventSchema = z.object({
  v: z.literal(1),
  requestId: z.string().min(1),
  /** The id the client saw (`chatcmpl-...`), when one was sent. */
  responseId: z.string().optional(),
  occurredAt: z.string(),
  callType: z.enum(['chat', 'embedding']),
  stream: z.boolean(),
  status: usageStatusSchema,
  errorCode: z.string().optional(),
  provider: z.string(),
  modelGroup: z.string(),
  deploymentId: z.string(),
  upstreamModel: z.string(),
  responseModel: z.string().optional(),
  usage: usageSchema,
  finishReason: z.string().optional(),
  latencyMs: z.number().nonnegative(),
  timeToFirstTokenMs: z.number().nonnegative().optional(),
  caller: callerSchema.optional(),
  /** The worker instance that made the upstream call. */
  workerId: z.string().optional(),
  /** The attempt this event records (1 = first call; higher after retries or fallbacks). */
  attempt: z.number().int().positive().optional(),
  /** Set on the event of a billed attempt that did not complete the request. */
  billedAttemptOnly: z.boolean().optional(),
  /** W3C trace context of the call, so consumers' spans join the request's trace. */
  traceparent: z.string().optional(),
  /** Only with `store_prompts_in_spend_logs`: the request's messages and the answer's text (redacted before storage). */
  messages: z.array(z.unknown()).optional(),
  responseText: z.string().optional(),
  /**
   * The gateway answered from its response cache (no upstream call): the usage is the stored
   * answer's, the cost is 0. Published by the gateway, one per request, like any other event.
   */
  cacheHit: z.boolean().optional(),
  /** The entry's key (`x-litellm-cache-key`), on hits. */
  cacheKey: z.string().optional(),
});
export type UsageEventV1 = z.infer<typeof usageEventSchema>;

/** The JetStream message id of a usage event. */
export function usageMessageId(event: Pick<UsageEventV1, 'requestId' | 'attempt' | 'billedAttemptOnly'>): string {
  return event.billedAttemptOnly ? `${event.requestId}#${event.attempt ?? 1}` : event.requestId;
}
