import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error';
import { loadConfigFile, parseConfig } from './load-config';

const environment = { LITELLM_MASTER_KEY: 'sk-from-env' };

function rejection(text: string): ConfigError {
  try {
    parseConfig(text, 'test.yaml', { environment });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

describe('loadConfigFile', () => {
  it('accepts a real LiteLLM proxy config, warning about keys it does not use', () => {
    const path = fileURLToPath(new URL('./__fixtures__/litellm-proxy-config.yaml', import.meta.url));
    const config = loadConfigFile(path, { environment });
    expect(config.modelList.map((deployment) => deployment.modelName)).toEqual([
      'gpt-4o',
      'gpt-4o',
      'claude-sonnet',
      'fake-openai-endpoint',
    ]);
    expect(config.modelList[0]).toMatchObject({ id: 'my-deployment-id', provider: 'azure' });
    expect(config.modelList[1].provider).toBe('openai');
    // Credentials stay references: the worker resolves them.
    expect(config.modelList[1].params.api_key).toBe('os.environ/OPENAI_API_KEY');
    expect(config.generalSettings.masterKey).toBe('sk-from-env');
    expect(config.warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining('model_list[2].litellm_params.region_name'),
        expect.stringContaining('litellm_settings.timezone'),
      ]),
    );
  });

  it('gives deployments without model_info.id a stable id', () => {
    const text = 'model_list:\n  - model_name: a\n    litellm_params:\n      model: openai/gpt-4o\n';
    const first = parseConfig(text, 'a.yaml', { environment }).modelList[0].id;
    const second = parseConfig(text, 'a.yaml', { environment }).modelList[0].id;
    expect(first).toMatch(/^[0-9a-f]{16}$/);
    expect(first).toBe(second);
  });

  it('reports an unreadable file with its path', () => {
    expect(() => loadConfigFile('/no/such/config.yaml', { environment })).toThrow(/Cannot read config file \/no\/such\/config.yaml/);
  });

  it.each([
    ['a YAML syntax error', 'model_list: [\n  - oops', /Invalid YAML in test.yaml/, undefined],
    ['a model entry without litellm_params', 'model_list:\n  - model_name: x\n', /model_list\[0\]\.litellm_params/, 'model_list[0].litellm_params'],
    [
      'a model that is not a string',
      'model_list:\n  - model_name: x\n    litellm_params:\n      model: 42\n',
      /model_list\[0\]\.litellm_params\.model/,
      'model_list[0].litellm_params.model',
    ],
    [
      'a negative rpm',
      'model_list:\n  - model_name: x\n    litellm_params:\n      model: openai/x\n      rpm: -1\n',
      /rpm/,
      'model_list[0].litellm_params.rpm',
    ],
    ['an unknown routing strategy', 'router_settings:\n  routing_strategy: random\n', /router_settings\.routing_strategy/, 'router_settings.routing_strategy'],
    ['model_list that is not a list', 'model_list: {}\n', /model_list/, 'model_list'],
    ['a master key from an unset variable', 'general_settings:\n  master_key: os.environ/NOT_SET_ANYWHERE\n', /NOT_SET_ANYWHERE/, 'general_settings.master_key'],
  ])('rejects %s with its key path', (_name, text, message, path) => {
    const error = rejection(text);
    expect(error.message).toMatch(message);
    if (path) expect(error.issues.map((issue) => issue.path)).toContain(path);
  });
});
