import { honoured, ignored, refused, stringsOf } from './key-rule';
import type { Rules } from './key-rule';
import { routerSettingsKeys } from './router-settings.keys';

/** Callback names the logging service delivers to (docs/callbacks.md); `prometheus` is built in. */
export const supportedCallbacks = ['langfuse', 'otel', 'opentelemetry', 's3', 'webhook', 'generic_api', 'generic', 'prometheus'];

function unsupportedCallbacks(value: unknown): string | undefined {
  const unsupported = stringsOf(value).filter((name) => !supportedCallbacks.includes(name));
  if (unsupported.length === 0) return undefined;
  return `callback${unsupported.length > 1 ? 's' : ''} ${unsupported.map((name) => `'${name}'`).join(', ')} not supported; supported: ${supportedCallbacks.join(', ')} (docs/callbacks.md)`;
}

/** Callback names a team's own destinations may use (the logging service's per-caller delivery). */
export const teamCallbacks = ['langfuse', 'webhook', 'generic_api', 'generic'];

function unsupportedTeamCallbacks(value: unknown): string | undefined {
  if (!Array.isArray(value)) return undefined;
  for (const [index, entry] of value.entries()) {
    if (!entry || typeof entry !== 'object') continue;
    const names = ['success_callback', 'failure_callback', 'callbacks'].flatMap((field) => stringsOf((entry as Record<string, unknown>)[field]));
    const unsupported = names.filter((name) => !teamCallbacks.includes(name));
    if (unsupported.length) return `[${index}]: callback ${unsupported.map((name) => `'${name}'`).join(', ')} not supported for a team; supported: ${teamCallbacks.join(', ')}`;
  }
  return undefined;
}

const keyManagementLater = 'not available in the config: set the fields on each /key/generate, /user/new or /team/new call instead';

/**
 * `litellm_settings` (https://docs.litellm.ai/docs/proxy/config_settings#litellm_settings---reference).
 * The router's settings may be written here too (router_settings wins when both set one).
 */
export const litellmSettingsKeys: Rules = {
  ...routerSettingsKeys,
  drop_params: honoured(
    'Switchboard always drops a parameter a provider does not support and names it in the `x-switchboard-warnings` response header; it never fails a request for one (true is the only behaviour)',
    { refuseValue: (value) => (value === false ? 'drop_params: false (fail on unsupported parameters) is not available: remove it, Switchboard drops them and names them in x-switchboard-warnings' : undefined) },
  ),
  request_timeout: honoured('default total timeout (seconds) of deployments that set no `timeout` (router_settings.timeout wins)'),
  success_callback: honoured('logging destinations for successful requests (logging service)', { refuseValue: unsupportedCallbacks }),
  failure_callback: honoured('logging destinations for failed requests (logging service)', { refuseValue: unsupportedCallbacks }),
  callbacks: honoured('logging destinations for every request (logging service); `prometheus` is built in', { refuseValue: unsupportedCallbacks }),
  max_budget: honoured('the global budget (USD) over every request'),
  budget_duration: honoured('the global budget period (`30d`, `1h`, ...)'),
  turn_off_message_logging: honoured('callbacks never receive prompts or answers (true is the only behaviour)', {
    refuseValue: (value) => (value === false ? 'message logging to callbacks is not available: remove turn_off_message_logging (callbacks never receive prompts here)' : undefined),
  }),
  redact_user_api_key_info: honoured('callbacks receive no key hash, key alias, user, team or organization'),
  max_end_user_budget: honoured('budget (USD) of every end user (`user` / `x-litellm-customer-id`) that has no budget of its own'),
  json_logs: honoured('logs are JSON (true is the only behaviour)', {
    refuseValue: (value) => (value === false ? 'plain-text logs are not available: remove json_logs' : undefined),
  }),
  cache: honoured('response caching in the gateway (docs/ARCHITECTURE.md D26): a hit answers without an upstream call'),
  cache_params: honoured('`type` (local, redis, redis-semantic), `ttl`, `namespace`, `mode`, `supported_call_types`, Redis host / port / password, semantic settings; every key is checked at start by the cache settings (unsupported types and backends are refused, named)'),
  guardrails: refused('Switchboard has no guardrail integrations: remove them, or run the guardrail in front of Switchboard'),
  default_team_settings: honoured(
    "per-team callbacks: each entry's `success_callback` / `failure_callback` / `callbacks` (langfuse, webhook, generic_api) with its other keys as the callback's settings (`langfuse_public_key`, `langfuse_secret`, `langfuse_host`, `generic_logger_endpoint`, ...) get the usage events of that `team_id`'s keys, as a team's `metadata.logging` does (docs/callbacks.md)",
    { refuseValue: unsupportedTeamCallbacks },
  ),
  service_callbacks: refused('service health callbacks are not available: Switchboard exports metrics at /metrics (docs/metrics.md)'),
  langfuse_default_tags: refused('the Langfuse payload is fixed (docs/callbacks.md): remove it'),
  force_ipv4: refused('not configurable: workers use the host resolver; set NODE_OPTIONS=--dns-result-order=ipv4first on the workers'),
  mcp_aliases: refused('MCP servers are not available: remove it'),
  modify_params: refused('request rewriting for providers is not available: remove it'),
  enable_json_schema_validation: refused('response schema validation is not available: remove it'),
  enable_key_alias_format_validation: refused(`key alias validation is ${keyManagementLater}`),
  key_generation_settings: refused(`key generation rules are ${keyManagementLater}`),
  default_key_generate_params: refused(`default key fields are ${keyManagementLater}`),
  upperbound_key_generate_params: refused(`key field limits are ${keyManagementLater}`),
  default_internal_user_params: refused(`default user fields are ${keyManagementLater}`),
  default_team_params: refused(`default team fields are ${keyManagementLater}`),
  max_internal_user_budget: refused(`user budgets are ${keyManagementLater}`),
  internal_user_budget_duration: refused(`user budget periods are ${keyManagementLater}`),
  default_max_internal_user_budget: refused(`user budgets are ${keyManagementLater}`),
  disable_end_user_cost_tracking: refused('end-user spend is always recorded: remove it'),
  disable_end_user_cost_tracking_prometheus_only: refused('metrics carry no end-user labels: remove it'),
  ssl_verify: refused('TLS verification is always on: add a CA with NODE_EXTRA_CA_CERTS on the workers instead'),
  ssl_certificate: refused('add a CA with NODE_EXTRA_CA_CERTS on the workers instead'),
  return_response_headers: refused('provider response headers are not passed through: remove it'),
  public_model_groups: refused('the public model hub is not available: remove it'),
  model_group_settings: refused('per-group settings are not available: remove them'),
  extra_spend_tag_headers: refused('spend tags come from `tags`, `metadata.tags` and `x-litellm-tags`: remove it'),
  enable_preview_features: ignored("LiteLLM's switch for preview provider features; Switchboard's adapters have no preview mode"),
  disable_add_transform_inline_image_block: ignored("a LiteLLM Fireworks quirk; Switchboard's adapters never rewrite image URLs"),
  disable_hf_tokenizer_download: ignored('Switchboard downloads no tokenizer'),
  disable_copilot_system_to_assistant: ignored('deprecated in LiteLLM; no GitHub Copilot provider here'),
  use_chat_completions_url_for_anthropic_messages: ignored('/v1/messages always runs over the chat path here'),
  set_verbose: ignored('deprecated in LiteLLM; Switchboard logs at LOG_LEVEL'),
};
