import { z } from 'zod';
import { defaultRequestParams } from './keys/model-list.keys';

/**
 * The types of the `config.yaml` keys Switchboard honours (LiteLLM's shape,
 * https://docs.litellm.ai/docs/proxy/configs). Which keys exist at all, and what happens to the ones
 * not honoured, is decided by the key rules in `keys/` before this schema runs; objects are loose
 * here so a refused or ignored key never fails twice. Values may be `os.environ/NAME` references.
 */
const seconds = z.union([z.number().positive(), z.string().regex(/^\d+(\.\d+)?$/)]);
const numberish = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?(e-?\d+)?$/i)]);
const count = z.number().int().nonnegative();
const fallbackList = z.array(z.record(z.string(), z.array(z.string())));
const names = z.array(z.string());
/** LiteLLM's durations: `30s`, `30m`, `12h`, `30d`, `1w`, `1mo`. */
const duration = z.string().regex(/^\d+\s*(s|m|h|d|w|mo)$/, 'must be a duration like 30d, 12h or 1w');

const requestDefaults = Object.fromEntries(defaultRequestParams.map((name) => [name, z.unknown().optional()])) as Record<
  (typeof defaultRequestParams)[number],
  z.ZodOptional<z.ZodUnknown>
>;

const litellmParams = z.looseObject({
  model: z.string().min(1, 'must name a model as <provider>/<model>'),
  api_base: z.string().optional(),
  api_key: z.string().optional(),
  api_version: z.string().optional(),
  organization: z.string().optional(),
  custom_llm_provider: z.string().min(1).optional(),
  litellm_credential_name: z.string().min(1).optional(),
  rpm: count.optional(),
  tpm: count.optional(),
  timeout: seconds.optional(),
  stream_timeout: seconds.optional(),
  weight: z.number().positive().optional(),
  order: z.number().int().positive().optional(),
  max_parallel_requests: count.optional(),
  tags: names.optional(),
  max_input_tokens: z.number().int().positive().optional(),
  input_cost_per_token: numberish.optional(),
  output_cost_per_token: numberish.optional(),
  cache_read_input_token_cost: numberish.optional(),
  cache_creation_input_token_cost: numberish.optional(),
  extra_headers: z.record(z.string(), z.string()).optional(),
  mock_response: z.string().optional(),
  ...requestDefaults,
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().min(0).max(1).optional(),
  max_tokens: z.number().int().positive().optional(),
  max_completion_tokens: z.number().int().positive().optional(),
  aws_access_key_id: z.string().optional(),
  aws_secret_access_key: z.string().optional(),
  aws_session_token: z.string().optional(),
  aws_region_name: z.string().optional(),
  aws_bedrock_runtime_endpoint: z.string().optional(),
  aws_sagemaker_allow_zero_temp: z.boolean().optional(),
  sagemaker_parameters: z.record(z.string(), z.unknown()).optional(),
  model_id: z.string().optional(),
  vertex_project: z.string().optional(),
  vertex_location: z.string().optional(),
  vertex_credentials: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  vertex_access_token: z.string().optional(),
  anthropic_version: z.string().optional(),
  anthropic_beta: z.union([z.string(), names]).optional(),
  azure_ad_token: z.string().optional(),
  watsonx_token: z.string().optional(),
  watsonx_iam_url: z.string().optional(),
  watsonx_project_id: z.string().optional(),
  watsonx_space_id: z.string().optional(),
  project_id: z.string().optional(),
  space_id: z.string().optional(),
  cloudflare_account_id: z.string().optional(),
  keep_alive: z.union([z.string(), z.number()]).optional(),
  num_ctx: z.number().int().positive().optional(),
  safe_prompt: z.boolean().optional(),
  replicate_input: z.record(z.string(), z.unknown()).optional(),
  replicate_max_tokens_param: z.string().optional(),
  replicate_wait_seconds: z.number().nonnegative().optional(),
  replicate_poll_interval_ms: z.number().positive().optional(),
  aleph_alpha_endpoint: z.string().optional(),
  nlp_cloud_endpoint: z.string().optional(),
  petals_max_new_tokens: z.number().int().positive().optional(),
});

const modelInfo = z.looseObject({
  id: z.string().optional(),
  mode: z.string().optional(),
  base_model: z.string().optional(),
  access_groups: names.optional(),
  max_input_tokens: z.number().int().positive().optional(),
  rpm: count.optional(),
  tpm: count.optional(),
  input_cost_per_token: numberish.optional(),
  output_cost_per_token: numberish.optional(),
  cache_read_input_token_cost: numberish.optional(),
  cache_creation_input_token_cost: numberish.optional(),
  enable_tag_filtering: z.boolean().optional(),
});

const modelEntry = z.looseObject({
  model_name: z.string().min(1),
  litellm_params: litellmParams,
  model_info: modelInfo.optional(),
});

const modelGroupAlias = z.record(z.string(), z.union([z.string().min(1), z.looseObject({ model: z.string().min(1), hidden: z.boolean().optional() })]));
const perClass = z.record(z.string(), count);

/** Router keys, valid in `router_settings` and in `litellm_settings`. */
const routerShape = {
  routing_strategy: z
    .enum(['simple-shuffle', 'least-busy', 'latency-based-routing', 'usage-based-routing', 'usage-based-routing-v2', 'cost-based-routing'])
    .optional(),
  num_retries: count.optional(),
  timeout: seconds.optional(),
  stream_timeout: seconds.optional(),
  allowed_fails: count.optional(),
  allowed_fails_policy: perClass.optional(),
  cooldown_time: seconds.optional(),
  disable_cooldowns: z.boolean().optional(),
  retry_after: seconds.optional(),
  retry_policy: perClass.optional(),
  fallbacks: fallbackList.optional(),
  context_window_fallbacks: fallbackList.optional(),
  content_policy_fallbacks: fallbackList.optional(),
  default_fallbacks: names.optional(),
  max_fallbacks: count.optional(),
  enable_pre_call_checks: z.boolean().optional(),
  enable_tag_filtering: z.boolean().optional(),
  tag_filtering_match_any: z.boolean().optional(),
  model_group_alias: modelGroupAlias.optional(),
  default_max_parallel_requests: count.optional(),
  default_litellm_params: z.record(z.string(), z.unknown()).optional(),
  ignore_invalid_deployments: z.boolean().optional(),
  optional_pre_call_checks: names.optional(),
};

const routerSettings = z.looseObject(routerShape);

const litellmSettings = z.looseObject({
  ...routerShape,
  drop_params: z.boolean().optional(),
  request_timeout: seconds.optional(),
  success_callback: names.optional(),
  failure_callback: names.optional(),
  callbacks: names.optional(),
  max_budget: z.number().nonnegative().optional(),
  budget_duration: duration.optional(),
  turn_off_message_logging: z.boolean().optional(),
  redact_user_api_key_info: z.boolean().optional(),
  max_end_user_budget: z.number().nonnegative().optional(),
  json_logs: z.boolean().optional(),
  cache: z.boolean().optional(),
  /** Each entry: `team_id`, its callback lists, and the callbacks' settings (any other key). */
  default_team_settings: z
    .array(
      z
        .record(z.string(), z.unknown())
        .refine((entry) => typeof entry.team_id === 'string' && entry.team_id !== '', 'each entry needs a team_id')
        .refine((entry) => ['success_callback', 'failure_callback', 'callbacks'].every((field) => entry[field] === undefined || (Array.isArray(entry[field]) && (entry[field] as unknown[]).every((name) => typeof name === 'string'))), 'callback lists must be lists of names'),
    )
    .optional(),
  /** Checked key by key by `parseCacheSettings` (cache-settings.ts). */
  cache_params: z.record(z.string(), z.unknown()).optional(),
});

const ipOrRange = z.string().regex(/^[0-9a-fA-F:.]+(\/\d{1,3})?$/, 'must be an IP address or a CIDR range');

const generalSettings = z.looseObject({
  master_key: z.string().optional(),
  max_request_size_mb: z.number().positive().optional(),
  max_request_json_depth: z.number().int().positive().optional(),
  max_request_array_length: z.number().int().positive().optional(),
  max_request_messages: z.number().int().positive().optional(),
  enforce_fallback_model_access: z.boolean().optional(),
  store_model_in_db: z.boolean().optional(),
  store_prompts_in_spend_logs: z.boolean().optional(),
  maximum_spend_logs_retention_period: duration.optional(),
  maximum_spend_logs_retention_interval: duration.optional(),
  alerting: names.optional(),
  background_health_checks: z.boolean().optional(),
  health_check_interval: z.number().positive().optional(),
  enforce_user_param: z.boolean().optional(),
  allowed_ips: z.array(ipOrRange).optional(),
  use_x_forwarded_for: z.boolean().optional(),
  litellm_key_header_name: z.string().regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name').optional(),
  global_max_parallel_requests: count.optional(),
  max_parallel_requests: count.optional(),
  allow_requests_on_db_unavailable: z.boolean().optional(),
  forward_client_headers_to_llm_api: z.boolean().optional(),
  unpriced_model_policy: z.enum(['flag', 'refuse', 'default']).optional(),
  default_input_cost_per_token: numberish.optional(),
  default_output_cost_per_token: numberish.optional(),
});

const credential = z.looseObject({
  credential_name: z.string().min(1),
  credential_values: z.record(z.string(), z.unknown()),
  credential_info: z.record(z.string(), z.unknown()).optional(),
});

export const configFileSchema = z.looseObject({
  model_list: z.array(modelEntry).default([]),
  router_settings: routerSettings.optional(),
  litellm_settings: litellmSettings.optional(),
  general_settings: generalSettings.optional(),
  environment_variables: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  credential_list: z.array(credential).optional(),
  include: z.array(z.string().min(1)).optional(),
});

export type ConfigFile = z.infer<typeof configFileSchema>;
export type ModelEntry = ConfigFile['model_list'][number];
