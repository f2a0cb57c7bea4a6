import type { UsageEventV1 } from '@switchboard/contracts';

/**
 * A usage event in the shape of LiteLLM's StandardLoggingPayload (the fields callbacks read),
 * so existing webhook receivers keep working. No prompt or response bodies, no keys.
 */
export function standardLoggingPayload(event: UsageEventV1): Record<string, unknown> {
  const end = Date.parse(event.occurredAt);
  return {
    id: event.requestId,
    trace_id: event.traceparent?.split('-')[1] ?? null,
    call_type: event.callType === 'embedding' ? 'embedding' : 'completion',
    stream: event.stream,
    status: event.status === 'success' ? 'success' : 'failure',
    error_str: event.errorCode ?? null,
    model: event.upstreamModel,
    model_group: event.modelGroup,
    model_id: event.deploymentId,
    custom_llm_provider: event.provider,
    prompt_tokens: event.usage.inputTokens.total,
    completion_tokens: event.usage.outputTokens.total,
    total_tokens: event.usage.inputTokens.total + event.usage.outputTokens.total,
    cache_read_input_tokens: event.usage.inputTokens.cacheRead,
    cache_creation_input_tokens: event.usage.inputTokens.cacheWrite,
    startTime: (end - event.latencyMs) / 1000,
    endTime: end / 1000,
    completionStartTime: event.timeToFirstTokenMs === undefined ? null : (end - event.latencyMs + event.timeToFirstTokenMs) / 1000,
    metadata: {
      user_api_key_alias: event.caller?.keyAlias ?? null,
      user_api_key_user_id: event.caller?.userId ?? null,
      user_api_key_team_id: event.caller?.teamId ?? null,
      user_api_key_org_id: event.caller?.organizationId ?? null,
      user_api_key_end_user_id: event.caller?.customerId ?? null,
      tags: event.caller?.tags ?? [],
    },
  };
}
