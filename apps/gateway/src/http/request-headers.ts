import { SwitchboardError } from '@switchboard/spec';

export interface HeaderRule {
  header: string;
  status: 'honoured' | 'refused' | 'ignored';
  note: string;
}

/**
 * LiteLLM's request headers (https://docs.litellm.ai/docs/proxy/request_headers) and what Switchboard
 * does with each; docs/litellm-compatibility.md's "Request headers" table is checked against it.
 * A refused header fails the request with 400 naming it.
 */
export const requestHeaderRules: readonly HeaderRule[] = [
  { header: 'authorization', status: 'honoured', note: '`Bearer <key>`: the master key or a virtual key' },
  { header: 'api-key', status: 'honoured', note: 'the key, as Azure OpenAI clients send it' },
  { header: 'x-api-key', status: 'honoured', note: 'the key, as Anthropic clients send it' },
  { header: 'x-litellm-timeout', status: 'honoured', note: 'total timeout of this request, seconds' },
  { header: 'x-litellm-stream-timeout', status: 'honoured', note: 'time to first token of this request, seconds' },
  { header: 'x-litellm-num-retries', status: 'honoured', note: 'retries of this request' },
  { header: 'x-litellm-tags', status: 'honoured', note: 'comma-separated tags: label spend, and route with enable_tag_filtering' },
  { header: 'x-litellm-customer-id', status: 'honoured', note: 'the end user (customer) the request is for: budgets and spend' },
  { header: 'x-litellm-end-user-id', status: 'honoured', note: 'as x-litellm-customer-id' },
  { header: 'anthropic-beta', status: 'honoured', note: 'sent to Anthropic deployments on /v1/messages (and on every route with forward_client_headers_to_llm_api)' },
  { header: 'traceparent', status: 'honoured', note: 'W3C trace context: the request\'s span joins the caller\'s trace' },
  { header: 'tracestate', status: 'honoured', note: 'W3C trace context' },
  { header: 'x-*', status: 'honoured', note: 'sent upstream with general_settings.forward_client_headers_to_llm_api (not x-litellm-*, not keys); else not sent, as in LiteLLM' },
  { header: 'anthropic-version', status: 'ignored', note: 'Switchboard speaks Messages version 2023-06-01 to clients; upstream, the deployment\'s anthropic_version is used' },
  { header: 'openai-organization', status: 'ignored', note: 'not sent upstream, as in LiteLLM without forward_openai_org_id; set `organization` on the deployment' },
  { header: 'x-litellm-spend-logs-metadata', status: 'refused', note: 'spend log metadata from headers is not stored: send tags instead' },
  { header: 'x-litellm-enable-message-redaction', status: 'refused', note: 'callbacks never receive messages here; per-request redaction of stored prompts is not available' },
  { header: 'x-litellm-session-id', status: 'refused', note: 'sessions are not grouped in spend logs: for Responses sessions use previous_response_id' },
  { header: 'x-litellm-trace-id', status: 'refused', note: 'use the W3C traceparent header' },
];

const refusedHeaders = requestHeaderRules.filter((rule) => rule.status === 'refused');

/** LiteLLM's request headers Switchboard cannot honour: 400 naming the header, never silently ignored. */
export function refuseUnsupportedHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): void {
  for (const rule of refusedHeaders) {
    const value = headers[rule.header];
    if (value === undefined || value === '' || (rule.header === 'x-litellm-enable-message-redaction' && value === 'false')) continue;
    throw new SwitchboardError('invalid_request', `The header '${rule.header}' is not supported here: ${rule.note}`, { param: rule.header });
  }
}
