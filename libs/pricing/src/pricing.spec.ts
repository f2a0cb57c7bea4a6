import { describe, expect, it } from 'vitest';
import type { Usage } from '@switchboard/spec';
import { PriceBook, computeCost, formatUsd, parseUsd } from './index';

const usage = (input: number, cacheRead: number, cacheWrite: number, output: number, reasoning: number): Usage => ({
  inputTokens: { total: input, noCache: input - cacheRead - cacheWrite, cacheRead, cacheWrite },
  outputTokens: { total: output, text: output - reasoning, reasoning },
});

describe('money', () => {
  it.each([
    ['0.0000025', '0.000002500000'],
    [2.5e-6, '0.000002500000'],
    ['1e-7', '0.000000100000'],
    ['3.75E-6', '0.000003750000'],
    ['12', '12.000000000000'],
  ])('parses %s exactly', (value, formatted) => {
    expect(formatUsd(parseUsd(value))).toBe(formatted);
  });
});

describe('computeCost', () => {
  const book = new PriceBook();

  it('prices Anthropic cache reads and writes at their own rates', () => {
    const price = book.priceFor({ provider: 'anthropic', upstreamModel: 'claude-sonnet-4-5', params: {}, info: {} });
    // 1,000 uncached x $3/M + 2,000 cache reads x $0.30/M + 500 cache writes x $3.75/M + 400 output x $15/M
    const cost = computeCost(usage(3_500, 2_000, 500, 400, 0), price!);
    expect(formatUsd(cost.total)).toBe('0.011475000000');
    expect(formatUsd(cost.cacheWrite)).toBe('0.001875000000');
  });

  it('prices OpenAI cached input at the cached rate and reasoning at the output rate', () => {
    const price = book.priceFor({ provider: 'openai', upstreamModel: 'o4-mini', params: {}, info: {} });
    // 800 x $1.10/M + 200 cached x $0.275/M + (100 text + 300 reasoning) x $4.40/M
    expect(formatUsd(computeCost(usage(1_000, 200, 0, 400, 300), price!).total)).toBe('0.002695000000');
  });

  it('applies Gemini 2.5 Pro long-context prices above 200k prompt tokens', () => {
    const price = book.priceFor({ provider: 'gemini', upstreamModel: 'gemini-2.5-pro', params: {}, info: {} });
    expect(formatUsd(computeCost(usage(100_000, 0, 0, 1_000, 0), price!).total)).toBe('0.135000000000');
    expect(formatUsd(computeCost(usage(300_000, 0, 0, 1_000, 0), price!).total)).toBe('0.765000000000');
  });

  it('lets a deployment price override the catalogue, and knows when there is no price', () => {
    const custom = book.priceFor({ provider: 'openai', upstreamModel: 'gpt-4o', params: { input_cost_per_token: '0.000001', output_cost_per_token: 0.000002 }, info: {} });
    expect(custom?.source).toBe('deployment');
    expect(formatUsd(computeCost(usage(10, 0, 0, 10, 0), custom!).total)).toBe('0.000030000000');
    expect(book.priceFor({ provider: 'hosted_vllm', upstreamModel: 'my-private-model', params: {}, info: {} })).toBeUndefined();
    expect(book.priceFor({ provider: 'azure', upstreamModel: 'my-deployment', params: {}, info: { base_model: 'gpt-4o-mini' } })?.source).toBe('catalogue');
  });
});

describe('unpricedPolicyFrom', () => {
  const config = (general: Record<string, unknown>) => ({ sourcePath: 'x', modelList: [], routerSettings: {}, litellmSettings: {}, generalSettings: { maxRequestSizeMb: 10, ...general }, warnings: [] });

  it('flags by default, refuses or bills a default price when configured, and rejects nonsense', async () => {
    const { unpricedPolicyFrom } = await import('./unpriced-policy');
    expect(unpricedPolicyFrom(config({}))).toEqual({ kind: 'flag' });
    expect(unpricedPolicyFrom(config({ unpriced_model_policy: 'refuse' }))).toEqual({ kind: 'refuse' });
    expect(unpricedPolicyFrom(config({ unpriced_model_policy: 'default', default_input_cost_per_token: '0.000001', default_output_cost_per_token: 0.000002 }))).toEqual({
      kind: 'default',
      price: { inputPerToken: 1_000_000n, outputPerToken: 2_000_000n, source: 'default' },
    });
    expect(() => unpricedPolicyFrom(config({ unpriced_model_policy: 'default' }))).toThrow(/default_input_cost_per_token/);
    expect(() => unpricedPolicyFrom(config({ unpriced_model_policy: 'free' }))).toThrow(/flag, refuse or default/);
  });
});
