import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeAnswer, startFakeOpenAiUpstream } from '@switchboard/testing';
import type { FakeServer } from '@switchboard/testing';
import { Router, completion, embedding } from './index';

describe('the in-process SDK', () => {
  let upstream: FakeServer;

  beforeAll(async () => {
    upstream = await startFakeOpenAiUpstream();
  });

  afterAll(async () => {
    await upstream.close();
  });

  it('completion() calls a provider directly and answers in OpenAI shape', async () => {
    const answer = await completion({
      model: 'openai/ok',
      api_base: `${upstream.url}/v1`,
      api_key: 'sk-direct',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(answer).toMatchObject({ object: 'chat.completion', choices: [{ message: { content: fakeAnswer.join('') } }] });
    expect(upstream.requests.at(-1)?.headers.authorization).toBe('Bearer sk-direct');
  });

  it('completion({ stream: true }) yields chunks, usage last when asked', async () => {
    const stream = await completion({
      model: 'openai/ok',
      api_base: `${upstream.url}/v1`,
      api_key: 'sk-direct',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const chunks: Array<Record<string, unknown>> = [];
    for await (const chunk of stream) chunks.push(chunk);
    const text = chunks.map((chunk) => ((chunk.choices as Array<{ delta?: { content?: string } }>)[0]?.delta?.content ?? '')).join('');
    expect(text).toBe(fakeAnswer.join(''));
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { total_tokens: 18 } });
  });

  it('embedding() works with the mock provider and no key', async () => {
    const result = await embedding({ model: 'mock/embed', input: ['a', 'b'] });
    expect((result.data as unknown[]).length).toBe(2);
  });

  it('Router takes a LiteLLM model_list and falls back like the gateway', async () => {
    const router = new Router({
      model_list: [
        { model_name: 'main', litellm_params: { model: 'openai/status-503', api_base: `${upstream.url}/v1`, api_key: 'k' } },
        { model_name: 'spare', litellm_params: { model: 'mock/spare', mock_response: 'from the spare' } },
      ],
      router_settings: { fallbacks: [{ main: ['spare'] }] },
    });
    const answer = await router.completion({ model: 'main', messages: [{ role: 'user', content: 'x' }] });
    expect(answer).toMatchObject({ choices: [{ message: { content: 'from the spare' } }] });
  });

  it('Router surfaces the error when there is no fallback', async () => {
    const router = new Router({
      model_list: [{ model_name: 'main', litellm_params: { model: 'openai/status-400', api_base: `${upstream.url}/v1`, api_key: 'k' } }],
    });
    await expect(router.completion({ model: 'main', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ code: 'invalid_request', status: 400 });
  });

  it('refuses an invalid model_list with the key path', () => {
    expect(() => new Router({ model_list: [{ model_name: 'x', litellm_params: { model: 42 as unknown as string } }] })).toThrow(/model_list\[0\]\.litellm_params\.model/);
  });
});
