import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelDeployment, SwitchboardConfig } from '@switchboard/config';
import type { Usage } from '@switchboard/spec';
import { PricingService, formatUsd, parsePriceOverrides } from './index';

const usage = (input: number, cacheRead: number, output: number): Usage => ({
  inputTokens: { total: input, noCache: input - cacheRead, cacheRead, cacheWrite: 0 },
  outputTokens: { total: output, text: output, reasoning: 0 },
});

const deployment = (id: string, modelName: string, model: string, params: Record<string, unknown> = {}, info: Record<string, unknown> = {}): ModelDeployment => ({
  id,
  modelName,
  provider: model.slice(0, model.indexOf('/')),
  params: { model, ...params },
  info,
});

const config = (modelList: ModelDeployment[], general: Record<string, unknown> = {}): SwitchboardConfig => ({
  sourcePath: 'x',
  modelList,
  routerSettings: {},
  litellmSettings: {},
  generalSettings: { maxRequestSizeMb: 10, ...general },
  warnings: [],
});

const overridesFile = (content: unknown): string => {
  const path = join(mkdtempSync(join(tmpdir(), 'prices-')), 'prices.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
};

describe('PricingService', () => {
  const gpt = deployment('d-gpt', 'main', 'openai/gpt-4o');
  const own = deployment('d-own', 'own', 'openai/gpt-4o', { input_cost_per_token: '0.000001', output_cost_per_token: '0.000002' });
  const file = overridesFile({ 'gpt-4o': { input_cost_per_token: 0.000003, output_cost_per_token: '0.000011', supports_vision: true }, sample_spec: { input_cost_per_token: 'ignored' } });

  it('prices a deployment by its own price, then the overrides file, then the catalogue', () => {
    const pricing = PricingService.fromSettings(config([gpt, own]), { PRICE_OVERRIDES_FILE: file });
    expect(pricing.charge({ modelGroup: 'own', deploymentId: 'd-own' }, usage(10, 0, 10))).toMatchObject({ priceSource: 'deployment', cost: 30_000_000n, found: true });
    // 1,000 x $3/M + 100 x $11/M from the override (the catalogue says $2.50 / $10).
    expect(formatUsd(pricing.charge({ modelGroup: 'main', deploymentId: 'd-gpt' }, usage(1_000, 0, 100)).cost)).toBe('0.004100000000');
    const catalogue = PricingService.fromSettings(config([gpt]), {});
    expect(formatUsd(catalogue.charge({ modelGroup: 'main', deploymentId: 'd-gpt' }, usage(1_000, 0, 100)).cost)).toBe('0.003500000000');
  });

  it('gives the same price whichever way a service names the call: by deployment, by provider and model, by group', () => {
    const pricing = PricingService.fromSettings(config([gpt]), { PRICE_OVERRIDES_FILE: file });
    const byDeployment = pricing.charge({ modelGroup: 'main', deploymentId: 'd-gpt' }, usage(1_234, 200, 77));
    const byModel = pricing.charge({ modelGroup: 'main', deploymentId: 'unknown', provider: 'openai', upstreamModel: 'openai/gpt-4o' }, usage(1_234, 200, 77));
    const byGroup = pricing.charge({ modelGroup: 'main' }, usage(1_234, 200, 77));
    expect(byModel.cost).toBe(byDeployment.cost);
    expect(byGroup.cost).toBe(byDeployment.cost);
    expect(byDeployment.priceSource).toBe('override');
  });

  it('follows the deployment list as it changes (stored models), without re-reading anything else', () => {
    let deployments: readonly ModelDeployment[] = [gpt];
    const pricing = PricingService.fromSettings(config([gpt]), {}, () => deployments);
    expect(pricing.knows('d-db')).toBe(false);
    expect(pricing.charge({ modelGroup: 'db', deploymentId: 'd-db' }, usage(10, 0, 10))).toMatchObject({ found: false, cost: 0n, priceSource: 'missing' });
    deployments = [gpt, deployment('d-db', 'db', 'hosted_vllm/private', { input_cost_per_token: '0.00001', output_cost_per_token: '0.00002' })];
    expect(pricing.knows('d-db')).toBe(true);
    expect(formatUsd(pricing.charge({ modelGroup: 'db', deploymentId: 'd-db' }, usage(10, 0, 10)).cost)).toBe('0.000300000000');
  });

  it('reserves the dearest deployment of a group, an unpriced one at the configured default price', () => {
    const cheap = deployment('d-cheap', 'mixed', 'openai/gpt-4o-mini');
    const dear = deployment('d-dear', 'mixed', 'openai/gpt-4o');
    const pricing = PricingService.fromSettings(config([cheap, dear]), {});
    // 100 prompt x $2.50/M + 1,000 output x $10/M
    expect(formatUsd(pricing.maxCost('mixed', 100, 1_000))).toBe('0.010250000000');
    const unpriced = deployment('d-private', 'private', 'hosted_vllm/private');
    const flagged = PricingService.fromSettings(config([unpriced]), {});
    expect(flagged.maxCost('private', 100, 1_000)).toBe(0n);
    expect(flagged.groupHasPrice('private')).toBe(false);
    const defaulted = PricingService.fromSettings(config([unpriced], { unpriced_model_policy: 'default', default_input_cost_per_token: '0.000001', default_output_cost_per_token: '0.000001' }), {});
    expect(formatUsd(defaulted.maxCost('private', 100, 1_000))).toBe('0.001100000000');
    expect(defaulted.charge({ modelGroup: 'private', deploymentId: 'd-private' }, usage(100, 0, 1_000))).toMatchObject({ found: false, priceSource: 'default', cost: 1_100_000_000n });
  });
});

describe('the overrides file', () => {
  it('names the model and field of a price that is not a decimal', () => {
    expect(() => parsePriceOverrides({ 'my-model': { input_cost_per_token: 'cheap' } })).toThrow(/my-model\.input_cost_per_token: must be a non-negative decimal number/);
    expect(() => parsePriceOverrides({ 'my-model': { output_cost_per_token: -1 } })).toThrow(/my-model\.output_cost_per_token/);
    expect(() => parsePriceOverrides([])).toThrow(/JSON object/);
  });

  it('lists the cost fields it does not bill by, and skips LiteLLM’s sample_spec', () => {
    const parsed = parsePriceOverrides({ sample_spec: { input_cost_per_token: 'x' }, tts: { input_cost_per_character: 0.000015, output_cost_per_token: 0, mode: 'audio_speech' } });
    expect(Object.keys(parsed.entries)).toEqual(['tts']);
    expect(parsed.unbilledFields).toEqual(['tts.input_cost_per_character']);
  });

  it('fingerprints the override prices the same whatever their order, so services can be compared', () => {
    const one = PricingService.fromSettings(config([]), { PRICE_OVERRIDES_FILE: overridesFile({ a: { input_cost_per_token: 1, output_cost_per_token: 2 }, b: { input_cost_per_token: 3 } }) });
    const same = PricingService.fromSettings(config([]), { PRICE_OVERRIDES_FILE: overridesFile({ b: { input_cost_per_token: 3 }, a: { output_cost_per_token: 2, input_cost_per_token: 1 } }) });
    const other = PricingService.fromSettings(config([]), { PRICE_OVERRIDES_FILE: overridesFile({ a: { input_cost_per_token: 1, output_cost_per_token: 2.5 } }) });
    expect(one.overridesFingerprint).toMatch(/^[0-9a-f]{12}$/);
    expect(same.overridesFingerprint).toBe(one.overridesFingerprint);
    expect(other.overridesFingerprint).not.toBe(one.overridesFingerprint);
    expect(PricingService.fromSettings(config([]), {}).overridesFingerprint).toBe('none');
  });

  it('stops the service at boot when the file cannot be read', () => {
    expect(() => PricingService.fromSettings(config([]), { PRICE_OVERRIDES_FILE: '/nonexistent/prices.json' })).toThrow(/PRICE_OVERRIDES_FILE \/nonexistent\/prices.json could not be read/);
  });
});
