import { z } from 'zod';

/**
 * LiteLLM's `config.yaml` shape (https://docs.litellm.ai/docs/proxy/configs), validated.
 * Each section comes in two variants: strict (to find unknown keys, reported as warnings)
 * and loose (to keep them). Values may be `os.environ/NAME` references.
 */
type Mode = 'strict' | 'loose';

function section<Shape extends z.ZodRawShape>(mode: Mode, shape: Shape) {
  return mode === 'strict' ? z.strictObject(shape) : z.looseObject(shape);
}

const seconds = z.union([z.number().positive(), z.string().regex(/^\d+(\.\d+)?$/)]);
const numberish = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?(e-?\d+)?$/i)]);
const fallbackList = z.array(z.record(z.string(), z.array(z.string())));

function litellmParams(mode: Mode) {
  return section(mode, {
    model: z.string().min(1, 'must name a model as <provider>/<model>'),
    api_base: z.string().optional(),
    api_key: z.string().optional(),
    api_version: z.string().optional(),
    organization: z.string().optional(),
    rpm: z.number().int().nonnegative().optional(),
    tpm: z.number().int().nonnegative().optional(),
    timeout: seconds.optional(),
    stream_timeout: seconds.optional(),
    max_retries: z.number().int().nonnegative().optional(),
    weight: z.number().positive().optional(),
    order: z.number().int().positive().optional(),
    tags: z.array(z.string()).optional(),
    input_cost_per_token: numberish.optional(),
    output_cost_per_token: numberish.optional(),
    cache_read_input_token_cost: numberish.optional(),
    cache_creation_input_token_cost: numberish.optional(),
    extra_headers: z.record(z.string(), z.string()).optional(),
    aws_access_key_id: z.string().optional(),
    aws_secret_access_key: z.string().optional(),
    aws_session_token: z.string().optional(),
    aws_region_name: z.string().optional(),
    aws_bedrock_runtime_endpoint: z.string().optional(),
    vertex_project: z.string().optional(),
    vertex_location: z.string().optional(),
    vertex_credentials: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
    anthropic_version: z.string().optional(),
    azure_ad_token: z.string().optional(),
    mock_response: z.string().optional(),
  });
}

function modelInfo(mode: Mode) {
  return section(mode, {
    id: z.string().optional(),
    mode: z.string().optional(),
    base_model: z.string().optional(),
    access_groups: z.array(z.string()).optional(),
    max_tokens: z.number().int().positive().optional(),
    max_input_tokens: z.number().int().positive().optional(),
    max_output_tokens: z.number().int().positive().optional(),
    input_cost_per_token: numberish.optional(),
    output_cost_per_token: numberish.optional(),
    cache_read_input_token_cost: numberish.optional(),
    cache_creation_input_token_cost: numberish.optional(),
    supports_function_calling: z.boolean().optional(),
    supports_vision: z.boolean().optional(),
    description: z.string().optional(),
  });
}

function modelEntry(mode: Mode) {
  return section(mode, {
    model_name: z.string().min(1),
    litellm_params: litellmParams(mode),
    model_info: modelInfo(mode).optional(),
  });
}

function routerSettings(mode: Mode) {
  return section(mode, {
    routing_strategy: z
      .enum(['simple-shuffle', 'least-busy', 'latency-based-routing', 'usage-based-routing', 'usage-based-routing-v2', 'cost-based-routing'])
      .optional(),
    num_retries: z.number().int().nonnegative().optional(),
    timeout: seconds.optional(),
    stream_timeout: seconds.optional(),
    allowed_fails: z.number().int().nonnegative().optional(),
    cooldown_time: seconds.optional(),
    retry_after: seconds.optional(),
    fallbacks: fallbackList.optional(),
    context_window_fallbacks: fallbackList.optional(),
    content_policy_fallbacks: fallbackList.optional(),
    default_fallbacks: z.array(z.string()).optional(),
    enable_pre_call_checks: z.boolean().optional(),
    redis_host: z.string().optional(),
    redis_port: z.union([z.number(), z.string()]).optional(),
    redis_password: z.string().optional(),
    model_group_alias: z.record(z.string(), z.union([z.string(), z.record(z.string(), z.unknown())])).optional(),
    retry_policy: z.record(z.string(), z.number().int().nonnegative()).optional(),
    allowed_fails_policy: z.record(z.string(), z.number().int().nonnegative()).optional(),
  });
}

function litellmSettings(mode: Mode) {
  return section(mode, {
    drop_params: z.boolean().optional(),
    num_retries: z.number().int().nonnegative().optional(),
    request_timeout: seconds.optional(),
    set_verbose: z.boolean().optional(),
    json_logs: z.boolean().optional(),
    success_callback: z.array(z.string()).optional(),
    failure_callback: z.array(z.string()).optional(),
    callbacks: z.array(z.string()).optional(),
    cache: z.boolean().optional(),
    cache_params: z.record(z.string(), z.unknown()).optional(),
    fallbacks: fallbackList.optional(),
    context_window_fallbacks: fallbackList.optional(),
    default_fallbacks: z.array(z.string()).optional(),
    max_budget: z.number().nonnegative().optional(),
    budget_duration: z.string().optional(),
    turn_off_message_logging: z.boolean().optional(),
    redact_user_api_key_info: z.boolean().optional(),
  });
}

function generalSettings(mode: Mode) {
  return section(mode, {
    master_key: z.string().optional(),
    database_url: z.string().optional(),
    salt_key: z.string().optional(),
    max_request_size_mb: z.number().positive().optional(),
    /** Input bounds checked when a body is parsed (docs/security.md "Input bounds"). */
    max_request_json_depth: z.number().int().positive().optional(),
    max_request_array_length: z.number().int().positive().optional(),
    max_request_messages: z.number().int().positive().optional(),
    /** LiteLLM's opt-in: configured fallbacks are skipped when the key may not call them. */
    enforce_fallback_model_access: z.boolean().optional(),
    max_response_size_mb: z.number().positive().optional(),
    proxy_batch_write_at: z.number().optional(),
    disable_spend_logs: z.boolean().optional(),
    store_model_in_db: z.boolean().optional(),
    alerting: z.array(z.string()).optional(),
    background_health_checks: z.boolean().optional(),
    health_check_interval: z.number().optional(),
  });
}

export function configFileSchema(mode: Mode) {
  return section(mode, {
    model_list: z.array(modelEntry(mode)).default([]),
    router_settings: routerSettings(mode).optional(),
    litellm_settings: litellmSettings(mode).optional(),
    general_settings: generalSettings(mode).optional(),
    environment_variables: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  });
}

export type ConfigFile = z.infer<ReturnType<typeof configFileSchema>>;
export type ModelEntry = ConfigFile['model_list'][number];
