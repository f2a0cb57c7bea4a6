import type { RouteTrace } from '@switchboard/router';
import type { Usage } from '@switchboard/spec';

export interface TimingContext {
  requestId: string;
  startedAt: number;
  trace: RouteTrace;
  /** `x-ratelimit-*` of the key's limits (set by admission) and `x-litellm-key-spend`. */
  rateLimitHeaders?: Record<string, string>;
  /** Prices a finished answer for `x-litellm-response-cost` (non-streamed answers: their usage is known before the headers). */
  responseCost?: (usage: Usage) => number | undefined;
  /** Headers lifecycle hooks added (the response cache's). */
  hookHeaders?: Record<string, string>;
}

/** LiteLLM's response headers, kept under their names for compatibility. */
export function routingHeaders(context: TimingContext, upstreamLatencyMs?: number, usage?: Usage): Record<string, string> {
  const duration = Date.now() - context.startedAt;
  const headers: Record<string, string> = {
    'x-request-id': context.requestId,
    'x-litellm-call-id': context.requestId,
    'x-litellm-attempted-retries': String(context.trace.attemptedRetries),
    'x-litellm-attempted-fallbacks': String(context.trace.attemptedFallbacks),
    'x-litellm-response-duration-ms': String(duration),
    ...context.rateLimitHeaders,
    ...context.hookHeaders,
  };
  // Only once a deployment was chosen: before that the group is the client's input (an unknown
  // model may be a megabyte long or hold characters no header may carry).
  if (context.trace.deployment) {
    headers['x-litellm-model-group'] = context.trace.modelGroup;
    headers['x-litellm-model-id'] = context.trace.deployment.id;
  }
  const cost = usage && context.responseCost?.(usage);
  if (cost !== undefined) headers['x-litellm-response-cost'] = String(cost);
  if (upstreamLatencyMs !== undefined) headers['x-litellm-overhead-duration-ms'] = String(Math.max(0, duration - upstreamLatencyMs));
  return headers;
}
