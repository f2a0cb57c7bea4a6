import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error';
import { loadConfigFile, parseConfig } from './load-config';

const environment = { LITELLM_MASTER_KEY: 'sk-from-env' };

function rejection(text: string, options: Partial<Parameters<typeof parseConfig>[2]> = {}): ConfigError {
  try {
    parseConfig(text, 'test.yaml', { environment, ...options });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

const model = 'model_list:\n  - model_name: a\n    litellm_params:\n      model: openai/gpt-4o\n';

describe('loadConfigFile', () => {
  it('accepts a real LiteLLM proxy config, warning about keys that have no meaning here', () => {
    const path = fileURLToPath(new URL('./__fixtures__/litellm-proxy-config.yaml', import.meta.url));
    const config = loadConfigFile(path, { environment });
    expect(config.modelList.map((deployment) => deployment.modelName)).toEqual(['gpt-4o', 'gpt-4o', 'claude-sonnet', 'fake-openai-endpoint']);
    expect(config.modelList[0]).toMatchObject({ id: 'my-deployment-id', provider: 'azure' });
    expect(config.modelList[1].provider).toBe('openai');
    // Credentials stay references: the worker resolves them.
    expect(config.modelList[1].params.api_key).toBe('os.environ/OPENAI_API_KEY');
    expect(config.generalSettings.masterKey).toBe('sk-from-env');
    expect(config.warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining('router_settings.redis_host is accepted and has no effect here: Switchboard shares routing state through its own Redis'),
        expect.stringContaining('general_settings.proxy_batch_write_at'),
        expect.stringContaining('litellm_settings.set_verbose'),
      ]),
    );
    // litellm_settings.request_timeout is the default timeout of deployments without their own.
    expect(config.modelList[1].params.timeout).toBe(600);
    expect(config.modelList[0].params.timeout).toBe(300);
  });

  it('gives deployments without model_info.id a stable id', () => {
    const first = parseConfig(model, 'a.yaml', { environment }).modelList[0].id;
    const second = parseConfig(model, 'a.yaml', { environment }).modelList[0].id;
    expect(first).toMatch(/^[0-9a-f]{16}$/);
    expect(first).toBe(second);
  });

  it('reports an unreadable file with its path', () => {
    expect(() => loadConfigFile('/no/such/config.yaml', { environment })).toThrow(/Cannot read config file \/no\/such\/config.yaml/);
  });

  it.each([
    ['a YAML syntax error', 'model_list: [\n  - oops', /Invalid YAML in test.yaml/, undefined],
    ['a model entry without litellm_params', 'model_list:\n  - model_name: x\n', /model_list\[0\]\.litellm_params/, 'model_list[0].litellm_params'],
    ['a model that is not a string', 'model_list:\n  - model_name: x\n    litellm_params:\n      model: 42\n', /model_list\[0\]\.litellm_params\.model/, 'model_list[0].litellm_params.model'],
    ['a negative rpm', 'model_list:\n  - model_name: x\n    litellm_params:\n      model: openai/x\n      rpm: -1\n', /rpm/, 'model_list[0].litellm_params.rpm'],
    ['an unknown routing strategy', 'router_settings:\n  routing_strategy: random\n', /router_settings\.routing_strategy/, 'router_settings.routing_strategy'],
    ['model_list that is not a list', 'model_list: {}\n', /model_list/, 'model_list'],
    ['a master key from an unset variable', 'general_settings:\n  master_key: os.environ/NOT_SET_ANYWHERE\n', /NOT_SET_ANYWHERE/, 'general_settings.master_key'],
    ['an unsupported cache backend', 'litellm_settings:\n  cache: true\n  cache_params:\n    type: s3\n', /litellm_settings\.cache_params\.type/, undefined],
    ['a guardrail vendor', 'guardrails:\n  - guardrail_name: pii\n    litellm_params:\n      guardrail: presidio\n      mode: pre_call\n', /guardrails is not supported: Switchboard has no guardrail integrations/, 'guardrails'],
    ['Slack alerting', "general_settings:\n  alerting: ['slack']\n", /general_settings\.alerting: alerting 'slack' not supported: use \["webhook"\]/, 'general_settings.alerting'],
    ['an unsupported callback', "litellm_settings:\n  success_callback: ['langfuse', 'sentry']\n", /callback 'sentry' not supported; supported: langfuse/, 'litellm_settings.success_callback'],
    ['pass-through endpoints', 'general_settings:\n  pass_through_endpoints:\n    - path: /v1/rerank\n      target: https://api.cohere.com/v1/rerank\n', /pass_through_endpoints is not supported/, 'general_settings.pass_through_endpoints'],
    ['prompts', 'prompts:\n  - prompt_id: hello\n', /prompts is not supported/, 'prompts'],
    ['a key LiteLLM does not have', 'litellm_settings:\n  timezone: US/Eastern\n', /litellm_settings\.timezone is not a LiteLLM config key/, 'litellm_settings.timezone'],
    ['a misspelt section', 'router_setting:\n  num_retries: 2\n', /router_setting is not a LiteLLM config key/, 'router_setting'],
    ['an unknown deployment parameter', `${model}      frobnicate: 1\n`, /model_list\[0\]\.litellm_params\.frobnicate is not a LiteLLM config key/, 'model_list[0].litellm_params.frobnicate'],
    ['region routing', `${model}      region_name: eu\n`, /region_name is not supported: region routing/, 'model_list[0].litellm_params.region_name'],
    ['a custom auth hook', 'general_settings:\n  custom_auth: custom_auth.user_api_key_auth\n', /custom_auth is not supported: custom auth hooks/, 'general_settings.custom_auth'],
    ['an unknown credential', `${model}      litellm_credential_name: nope\n`, /names the credential 'nope', which credential_list does not define/, 'model_list[0].litellm_params.litellm_credential_name'],
    ['a team callback Switchboard cannot deliver per team', "litellm_settings:\n  default_team_settings:\n    - team_id: t1\n      success_callback: ['s3']\n", /default_team_settings: \[0\]: callback 's3' not supported for a team/, 'litellm_settings.default_team_settings'],
    ['a team setting without team_id', "litellm_settings:\n  default_team_settings:\n    - success_callback: ['langfuse']\n", /each entry needs a team_id/, 'litellm_settings.default_team_settings[0]'],
    ['an allowed_ips entry that is no address', "general_settings:\n  allowed_ips: ['example.com']\n", /must be an IP address or a CIDR range/, 'general_settings.allowed_ips[0]'],
  ])('rejects %s with its key path', (_name, text, message, path) => {
    const error = rejection(text);
    expect(error.message).toMatch(message);
    if (path) expect(error.issues.map((issue) => issue.path)).toContain(path);
  });

  it('only warns about a refused key set to an inert value', () => {
    const config = parseConfig('litellm_settings:\n  guardrails: []\n', 'a.yaml', { environment });
    expect(config.warnings).toEqual([expect.stringContaining('litellm_settings.guardrails has no effect here')]);
  });

  it('fills deployments from credential_list, the deployment\'s own values winning', () => {
    const config = parseConfig(
      `credential_list:
  - credential_name: azure-eu
    credential_values: { api_key: os.environ/AZURE_EU_KEY, api_base: https://eu.example.com, api_version: "2024-10-21" }
    credential_info: { description: EU }
model_list:
  - model_name: a
    litellm_params: { model: azure/gpt-4o, litellm_credential_name: azure-eu, api_version: "2025-01-01" }
`,
      'a.yaml',
      { environment },
    );
    expect(config.modelList[0].params).toEqual({ model: 'azure/gpt-4o', api_key: 'os.environ/AZURE_EU_KEY', api_base: 'https://eu.example.com', api_version: '2025-01-01' });
  });

  it('applies custom_llm_provider, environment_variables and the router timeouts to deployments', () => {
    const config = parseConfig(
      `environment_variables: { FILE_KEY: sk-from-file }
router_settings: { timeout: 30, stream_timeout: 5 }
litellm_settings: { request_timeout: 900 }
model_list:
  - model_name: a
    litellm_params: { model: llama-3, custom_llm_provider: groq, api_key: os.environ/FILE_KEY }
  - model_name: b
    litellm_params: { model: openai/x, api_key: os.environ/WORKER_KEY, timeout: 7 }
`,
      'a.yaml',
      { environment },
    );
    expect(config.modelList[0]).toMatchObject({ provider: 'groq', params: { model: 'groq/llama-3', api_key: 'sk-from-file', timeout: 30, stream_timeout: 5 } });
    expect(config.modelList[1].params).toMatchObject({ api_key: 'os.environ/WORKER_KEY', timeout: 7, stream_timeout: 5 });
  });

  it("adds the model_list of included files, refusing anything else in them", () => {
    const files: Record<string, string> = {
      '/configs/models.yaml': 'model_list:\n  - model_name: b\n    litellm_params: { model: openai/b }\n',
      '/configs/bad.yaml': 'general_settings: { master_key: sk-x }\n',
    };
    const readInclude = (path: string) => {
      if (!(path in files)) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
      return files[path];
    };
    const config = parseConfig(`include: [models.yaml]\n${model}`, '/configs/main.yaml', { environment, readInclude });
    expect(config.modelList.map((deployment) => deployment.modelName)).toEqual(['a', 'b']);
    expect(() => parseConfig('include: [bad.yaml]\n', '/configs/main.yaml', { environment, readInclude })).toThrow(/include\[0\] \(\/configs\/bad.yaml\) may only hold model_list; move general_settings/);
    expect(() => parseConfig('include: [gone.yaml]\n', '/configs/main.yaml', { environment, readInclude })).toThrow(/include\[0\] cannot read \/configs\/gone.yaml: ENOENT/);
  });
});
