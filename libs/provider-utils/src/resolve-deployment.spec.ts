import { describe, expect, it } from 'vitest';
import { resolveDeployment, splitModel } from './resolve-deployment';

describe('resolveDeployment', () => {
  it('resolves os.environ references from the given environment and splits the model', () => {
    const deployment = resolveDeployment(
      'd1',
      { model: 'openai/gpt-4o', api_key: 'os.environ/OPENAI_KEY', timeout: 30, stream_timeout: '5', organization: 'org-1' },
      { OPENAI_KEY: 'sk-live' },
    );
    expect(deployment).toMatchObject({
      id: 'd1',
      provider: 'openai',
      upstreamModel: 'gpt-4o',
      apiKey: 'sk-live',
      timeoutMs: 30_000,
      streamTimeoutMs: 5_000,
      params: { organization: 'org-1' },
    });
  });

  it('names a missing variable without printing any value', () => {
    expect(() => resolveDeployment('d1', { model: 'openai/x', api_key: 'os.environ/MISSING_KEY' }, {})).toThrow(/MISSING_KEY/);
  });

  it('keeps slashes of the upstream model', () => {
    expect(splitModel('hosted_vllm/meta-llama/Llama-3.1-8B')).toEqual({ provider: 'hosted_vllm', upstreamModel: 'meta-llama/Llama-3.1-8B' });
    expect(splitModel('gpt-4o')).toEqual({ provider: 'openai', upstreamModel: 'gpt-4o' });
  });
});
