import { honoured, ignored, refused, stringsOf } from './key-rule';
import type { Rules } from './key-rule';

const noCaching = 'router-level caching is not available: use litellm_settings.cache and cache_params';

/**
 * `router_settings` (https://docs.litellm.ai/docs/proxy/config_settings#router_settings---reference).
 * Most of them may also be written under `litellm_settings`; `router_settings` wins, as in LiteLLM.
 */
export const routerSettingsKeys: Rules = {
  routing_strategy: honoured('simple-shuffle (weight / rpm / tpm), least-busy, latency-based-routing, usage-based-routing(-v2), cost-based-routing; per gateway instance'),
  num_retries: honoured('retries per model group before a fallback, for retryable errors (default 0)'),
  timeout: honoured('default total timeout (seconds) of deployments that set no `timeout`'),
  stream_timeout: honoured('default time to first token (seconds) of deployments that set no `stream_timeout`'),
  allowed_fails: honoured('failures within a minute that put a deployment into cooldown (shared across gateways through Redis)'),
  allowed_fails_policy: honoured('allowed failures per error class (`BadRequestErrorAllowedFails`, ...) before a cooldown'),
  cooldown_time: honoured('seconds a failing deployment rests'),
  disable_cooldowns: honoured('failures never rest a deployment'),
  retry_after: honoured('minimum seconds before a retry'),
  retry_policy: honoured('retries per error class (`RateLimitErrorRetries`, ...)'),
  fallbacks: honoured('model groups tried after a group fails'),
  context_window_fallbacks: honoured('groups tried after a context-window error'),
  content_policy_fallbacks: honoured('groups tried after a content-policy error'),
  default_fallbacks: honoured('groups tried after any group without fallbacks of its own fails'),
  max_fallbacks: honoured('most fallback groups one request tries (default 5)'),
  enable_pre_call_checks: honoured('a deployment whose `max_input_tokens` the prompt exceeds is skipped (context_window_fallbacks apply); on unless set to false (LiteLLM: off unless true)'),
  enable_tag_filtering: honoured('route by request tags (`tags`, `metadata.tags`, `x-litellm-tags`); off: tags only label spend'),
  tag_filtering_match_any: honoured('with tag filtering: a deployment matches on any request tag (true, default) or only on all of them (false)'),
  model_group_alias: honoured('`alias: group` or `alias: {model: group, hidden: true}`: the alias routes to the group; hidden aliases stay out of /v1/models'),
  default_max_parallel_requests: honoured('in-flight requests per deployment and gateway instance when the deployment sets no `max_parallel_requests`'),
  default_litellm_params: honoured('request parameters (`temperature`, `max_tokens`, ...) every deployment applies when the request leaves them out'),
  redis_host: ignored('Switchboard shares routing state through its own Redis, REDIS_URL (set it to this host)'),
  redis_port: ignored('Switchboard shares routing state through its own Redis, REDIS_URL'),
  redis_password: ignored('Switchboard shares routing state through its own Redis, REDIS_URL'),
  redis_db: ignored('Switchboard shares routing state through its own Redis, REDIS_URL'),
  redis_url: ignored('Switchboard shares routing state through its own Redis, REDIS_URL (the environment variable)'),
  client_ttl: ignored("LiteLLM's Python HTTP client cache; Switchboard's workers keep one connection pool per upstream"),
  debug_level: ignored("LiteLLM's Python logger level; Switchboard logs at LOG_LEVEL"),
  set_verbose: ignored('deprecated in LiteLLM; Switchboard logs at LOG_LEVEL'),
  ignore_invalid_deployments: honoured('false only: an invalid deployment stops the start, naming it', {
    refuseValue: (value) => (value === true ? 'Switchboard never starts with an invalid deployment: fix or remove it' : undefined),
  }),
  optional_pre_call_checks: honoured('`responses_api_deployment_check` only (Switchboard always pins a Responses follow-up to its deployment)', {
    refuseValue: (value) => {
      const unsupported = stringsOf(value).filter((check) => check !== 'responses_api_deployment_check');
      return unsupported.length ? `pre-call checks ${unsupported.join(', ')} are not available; remove them` : undefined;
    },
  }),
  routing_strategy_args: refused('strategy arguments are not configurable: remove them'),
  model_group_retry_policy: refused('per-group retry policies are not available: use retry_policy'),
  cache_responses: refused(noCaching),
  cache_kwargs: refused(noCaching),
  caching_groups: refused(noCaching),
  default_priority: refused('the priority queue (/queue/chat/completions) is not available: remove it'),
  polling_interval: refused('the priority queue (/queue/chat/completions) is not available: remove it'),
  provider_budget_config: refused('provider budgets are not available: use key, team or litellm_settings.max_budget budgets'),
  deployment_affinity_ttl_seconds: refused('deployment affinity is not available: remove it'),
  search_tools: refused('the search API is not available: remove it'),
  guardrail_list: refused('Switchboard has no guardrail integrations: remove it'),
  alerting_config: refused('Slack alerting is not available: use general_settings.alerting: ["webhook"] with WEBHOOK_URL'),
  assistants_config: refused('the Assistants API is not available: remove it'),
  router_general_settings: refused("LiteLLM SDK-only settings: remove them"),
};
