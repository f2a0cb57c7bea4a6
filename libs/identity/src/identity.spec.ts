import { describe, expect, it } from 'vitest';
import { accessGroupsOf, generateApiKey, hashApiKey, isKeyHash, keyDisplayName, parseDuration, resolveAllowedModels, SecretBox, isSecretParam } from './index';

describe('api keys', () => {
  it('generates sk- keys with 32 random URL-safe bytes, hashed as LiteLLM does', () => {
    const key = generateApiKey();
    expect(key).toMatch(/^sk-[A-Za-z0-9_-]{43}$/);
    expect(generateApiKey()).not.toBe(key);
    // sha256("sk-1234") as LiteLLM's hash_token computes it.
    expect(hashApiKey('sk-1234')).toBe('88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b');
    expect(isKeyHash(hashApiKey(key))).toBe(true);
    expect(isKeyHash(key)).toBe(false);
    expect(keyDisplayName('sk-abcdefgh')).toBe('sk-...efgh');
  });
});

describe('resolveAllowedModels', () => {
  const catalog = {
    modelNames: ['gpt-4o', 'openai/gpt-4o-mini', 'openai/o3', 'claude-sonnet', 'beta-model'],
    accessGroups: accessGroupsOf([
      { modelName: 'beta-model', info: { access_groups: ['beta'] } },
      { modelName: 'claude-sonnet', info: { access_groups: ['beta', 'anthropic'] } },
      { modelName: 'gpt-4o' },
    ]),
  };

  it.each([
    [[[]], undefined],
    [[['*']], undefined],
    [[['all-proxy-models']], undefined],
    [[['gpt-4o']], ['gpt-4o']],
    [[['openai/*']], ['openai/*']],
    [[['beta']], ['beta-model', 'claude-sonnet']],
    [[['gpt-4o', 'claude-sonnet'], ['claude-sonnet', 'beta-model']], ['claude-sonnet']],
    [[['all-team-models'], ['gpt-4o']], ['gpt-4o']],
    [[[], ['*'], ['beta-model']], ['beta-model']],
  ])('%j lists %j', (lists, expected) => {
    const allowed = resolveAllowedModels(lists, catalog);
    expect(allowed ? [...allowed].sort() : undefined).toEqual(expected);
  });

  it.each([
    [[['openai/*']], 'openai/o3', true],
    [[['openai/*']], 'openai/gpt-5-anything', true],
    [[['openai/*']], 'gpt-4o', false],
    [[['gpt-4o']], 'gpt-4o', true],
    [[['gpt-4o']], 'anything-9', false],
    [[['anything-9']], 'anything-9', true],
    [[['openai/*'], ['openai/o3']], 'openai/o3', true],
    [[['openai/*'], ['openai/o3']], 'openai/gpt-4o-mini', false],
    [[['wild']], 'whatever-model', true],
  ])('%j allows %s: %s (wildcards checked on the concrete name)', (lists, model, expected) => {
    const wildCatalog = { ...catalog, accessGroups: new Map([...catalog.accessGroups, ['wild', ['*']]]) };
    expect(resolveAllowedModels(lists, wildCatalog)?.has(model) ?? true).toBe(expected);
  });
});

describe('SecretBox', () => {
  it('round-trips, is not deterministic, and refuses another salt key or tampering', () => {
    const box = new SecretBox('salt-one');
    const encrypted = box.encrypt('sk-upstream-secret');
    expect(SecretBox.isEncrypted(encrypted)).toBe(true);
    expect(encrypted).not.toContain('sk-upstream-secret');
    expect(box.encrypt('sk-upstream-secret')).not.toBe(encrypted);
    expect(box.decrypt(encrypted)).toBe('sk-upstream-secret');
    expect(() => new SecretBox('salt-two').decrypt(encrypted)).toThrow();
    expect(() => box.decrypt(`${encrypted.slice(0, -2)}AA`)).toThrow();
  });

  it.each([['api_key', true], ['aws_secret_access_key', true], ['aws_access_key_id', true], ['vertex_credentials', true], ['model', false], ['api_base', false], ['max_tokens', false], ['input_cost_per_token', false], ['cache_read_input_token_cost', false], ['access_token', true]])(
    'treats %s as secret: %s',
    (name, secret) => expect(isSecretParam(name)).toBe(secret),
  );
});

describe('parseDuration', () => {
  it('reads LiteLLM durations', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(() => parseDuration('soon')).toThrow(/Invalid duration/);
  });
});
