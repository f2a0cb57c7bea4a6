import { honoured, ignored, refused } from './key-rule';
import type { Rules } from './key-rule';

const providerParam = (provider: string) => honoured(`${provider} deployments: passed to the provider adapter`);
const requestDefault = honoured('a default request parameter: sent when the request leaves it out (the request\'s own value wins)');

/**
 * OpenAI request parameters a deployment may set as defaults (LiteLLM passes every
 * `litellm.completion()` argument in `litellm_params` to the call).
 */
export const defaultRequestParams = [
  'temperature',
  'top_p',
  'max_tokens',
  'max_completion_tokens',
  'n',
  'stop',
  'presence_penalty',
  'frequency_penalty',
  'seed',
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'response_format',
  'tool_choice',
  'parallel_tool_calls',
  'reasoning_effort',
  'user',
] as const;

/** `model_list[].litellm_params`. */
export const litellmParamsKeys: Rules = {
  model: honoured('`<provider>/<upstream model>`; `*` in it is replaced by what a wildcard `model_name` matched'),
  api_base: honoured('the upstream URL (each provider has a default)'),
  api_key: honoured('the upstream key (a literal, or os.environ/NAME resolved by the worker)'),
  api_version: honoured('Azure API version'),
  organization: honoured('OpenAI organization header'),
  custom_llm_provider: honoured('the provider, when `model` has no `<provider>/` prefix'),
  litellm_credential_name: honoured('takes the named `credential_list` entry\'s values (the deployment\'s own win)'),
  timeout: honoured('total timeout, seconds'),
  stream_timeout: honoured('time to first token and silence between chunks, seconds'),
  rpm: honoured('requests per minute: the routing weight, and the cap of usage-based routing'),
  tpm: honoured('tokens per minute: the routing weight, and the cap of usage-based routing'),
  weight: honoured("share of the group's traffic (simple-shuffle)"),
  order: honoured('priority tier: lower orders are tried first'),
  max_parallel_requests: honoured('in-flight requests per gateway instance; a deployment at its limit is skipped (429 when all are)'),
  tags: honoured('deployment tags for tag filtering (router_settings.enable_tag_filtering); `default` takes untagged requests'),
  max_input_tokens: honoured('context window for the pre-call check (router_settings.enable_pre_call_checks)'),
  input_cost_per_token: honoured("the deployment's own price"),
  output_cost_per_token: honoured("the deployment's own price"),
  cache_read_input_token_cost: honoured("the deployment's own price"),
  cache_creation_input_token_cost: honoured("the deployment's own price"),
  extra_headers: honoured('headers added to every upstream request (OpenAI-compatible providers)'),
  mock_response: honoured('answer with this text, no upstream call'),
  ...Object.fromEntries(defaultRequestParams.map((name) => [name, requestDefault])),
  aws_access_key_id: providerParam('Bedrock / SageMaker'),
  aws_secret_access_key: providerParam('Bedrock / SageMaker'),
  aws_session_token: providerParam('Bedrock / SageMaker'),
  aws_region_name: providerParam('Bedrock / SageMaker'),
  aws_bedrock_runtime_endpoint: providerParam('Bedrock'),
  aws_sagemaker_allow_zero_temp: providerParam('SageMaker'),
  sagemaker_parameters: providerParam('SageMaker'),
  model_id: providerParam('SageMaker inference component'),
  vertex_project: providerParam('Vertex AI'),
  vertex_location: providerParam('Vertex AI'),
  vertex_credentials: providerParam('Vertex AI'),
  vertex_access_token: providerParam('Vertex AI'),
  anthropic_version: providerParam('Anthropic'),
  anthropic_beta: providerParam('Anthropic'),
  azure_ad_token: providerParam('Azure'),
  watsonx_token: providerParam('watsonx'),
  watsonx_iam_url: providerParam('watsonx'),
  watsonx_project_id: providerParam('watsonx'),
  watsonx_space_id: providerParam('watsonx'),
  project_id: providerParam('watsonx'),
  space_id: providerParam('watsonx'),
  cloudflare_account_id: providerParam('Cloudflare Workers AI'),
  keep_alive: providerParam('Ollama'),
  num_ctx: providerParam('Ollama'),
  safe_prompt: providerParam('Mistral'),
  replicate_input: providerParam('Replicate'),
  replicate_max_tokens_param: providerParam('Replicate'),
  replicate_wait_seconds: providerParam('Replicate'),
  replicate_poll_interval_ms: providerParam('Replicate'),
  aleph_alpha_endpoint: providerParam('Aleph Alpha'),
  nlp_cloud_endpoint: providerParam('NLP Cloud'),
  petals_max_new_tokens: providerParam('Petals'),
  use_in_pass_through: ignored('pass-through routes are not available; the deployment serves the normal routes'),
  max_retries: refused("a deployment's own SDK retries are not available: use router_settings.num_retries / retry_policy"),
  region_name: refused("region routing (customers' allowed_model_region) is not available: remove it"),
  tag_regex: refused('tag filtering matches tags only: use `tags`'),
  input_cost_per_second: refused('per-second prices are not available: use input_cost_per_token'),
  output_cost_per_second: refused('per-second prices are not available: use output_cost_per_token'),
  merge_reasoning_content_in_choices: refused('reasoning is returned as `reasoning_content`: remove it'),
  additional_drop_params: refused('parameters are dropped per provider automatically (named in x-switchboard-warnings): remove it'),
  azure_ad_token_provider: refused('use azure_ad_token (a token or os.environ/NAME)'),
  tenant_id: refused('Azure AD client credentials are not available: use azure_ad_token or api_key'),
  client_id: refused('Azure AD client credentials are not available: use azure_ad_token or api_key'),
  client_secret: refused('Azure AD client credentials are not available: use azure_ad_token or api_key'),
  drop_params: refused('parameters a provider does not support are always dropped (named in x-switchboard-warnings): remove it'),
  aws_profile_name: refused('AWS profiles are not available: use aws_access_key_id / aws_secret_access_key'),
  aws_role_name: refused('AWS role assumption is not available: use aws_access_key_id / aws_secret_access_key'),
  aws_web_identity_token: refused('AWS web identity is not available: use aws_access_key_id / aws_secret_access_key'),
};

/**
 * `model_list[].model_info`: free-form in LiteLLM (shown by /model/info); these keys change what
 * Switchboard does, every other key is only shown.
 */
export const modelInfoKeys: Rules = {
  id: honoured('the deployment id (x-litellm-model-id, cooldowns, spend); else a stable hash of the entry'),
  mode: honoured('`chat`, `embedding`, ...: how GET /health probes the deployment'),
  base_model: honoured('the catalogue model it is priced as'),
  access_groups: honoured('access groups that keys, teams and users can name in `models`'),
  max_input_tokens: honoured('context window for the pre-call check'),
  rpm: honoured('as litellm_params.rpm'),
  tpm: honoured('as litellm_params.tpm'),
  input_cost_per_token: honoured("the deployment's own price"),
  output_cost_per_token: honoured("the deployment's own price"),
  cache_read_input_token_cost: honoured("the deployment's own price"),
  cache_creation_input_token_cost: honoured("the deployment's own price"),
  enable_tag_filtering: honoured("tag filtering for this model group, whatever router_settings says"),
  team_id: refused('team-only models are not available: give the team `models` instead'),
};

export const modelEntryKeys: Rules = {
  model_name: honoured('the name clients use; entries with the same name form a load-balanced group; `*`, `provider/*` and `prefix/*` are wildcard groups'),
  litellm_params: honoured('the deployment', { section: litellmParamsKeys }),
  model_info: honoured('free-form, shown by /model/info; the keys below change behaviour', { section: modelInfoKeys, open: true }),
};
