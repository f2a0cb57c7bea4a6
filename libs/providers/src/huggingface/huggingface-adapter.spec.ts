import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson, sendSse, startFakeServer } from '@switchboard/testing';
import type { FakeServer } from '@switchboard/testing';
import type { ChatRequest, ResolvedDeployment, StreamPart } from '@switchboard/spec';
import { HuggingFaceAdapter } from './huggingface-adapter';
import { createProviderRegistry } from '../provider-registry';
import { huggingFaceChatBase, huggingFaceFeatureExtractionEndpoint } from './huggingface-api';

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const sseFrames = (name: string): string[] =>
  fixture(name)
    .split('\n\n')
    .filter((frame) => frame.trim())
    .map((frame) => `${frame}\n\n`);

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const collected: StreamPart[] = [];
  for await (const part of parts) collected.push(part);
  return collected;
}

describe('HuggingFaceAdapter (wire)', () => {
  let fake: FakeServer;
  const adapter = new HuggingFaceAdapter();
  const deployment = (overrides: Partial<ResolvedDeployment> = {}): ResolvedDeployment => ({
    id: 'd1',
    provider: 'huggingface',
    upstreamModel: 'meta-llama/Llama-3.3-70B-Instruct:cerebras',
    apiBase: `${fake.url}/v1`,
    apiKey: 'test-key',
    timeoutMs: 10_000,
    params: {},
    ...overrides,
  });
  const call = (request: Partial<ChatRequest>, overrides: Partial<ResolvedDeployment> = {}) => ({
    request: { model: 'huggingface/meta-llama/Llama-3.3-70B-Instruct', messages: [{ role: 'user' as const, content: 'Hi' }], ...request },
    deployment: deployment(overrides),
    signal: new AbortController().signal,
    requestId: 'req-1',
  });

  beforeAll(async () => {
    fake = await startFakeServer((_request, response) => sendJson(response, 500, {}));
  });
  afterAll(async () => fake.close());

  it('calls the router chat completions with the provider-suffixed model and reads tool calls', async () => {
    fake.setHandler((_request, response) => sendJson(response, 200, JSON.parse(fixture('router-chat-tool-call.json'))));
    const result = await adapter.chat(
      call({
        tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
        tool_choice: 'auto',
        max_completion_tokens: 128,
        response_format: { type: 'json_object' },
      }),
    );
    const sent = fake.requests.at(-1);
    expect(sent?.url).toBe('/v1/chat/completions');
    expect(sent?.headers.authorization).toBe('Bearer test-key');
    expect(sent?.json).toEqual({
      model: 'meta-llama/Llama-3.3-70B-Instruct:cerebras',
      messages: [{ role: 'user', content: 'Hi' }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
      tool_choice: 'auto',
      max_tokens: 128,
      response_format: { type: 'json_object' },
    });
    expect(result.choices[0]).toMatchObject({
      message: { content: null, toolCalls: [{ id: 'call_8kq2mz', function: { name: 'get_weather', arguments: '{"city": "Bern"}' } }] },
      finishReason: { unified: 'tool_calls', raw: 'tool_calls' },
    });
    expect(result.usage.inputTokens).toEqual({ total: 211, noCache: 83, cacheRead: 128, cacheWrite: 0 });
  });

  it('streams reasoning from the router with usage split by reasoning tokens', async () => {
    fake.setHandler((_request, response) => sendSse(response, sseFrames('router-stream-reasoning.sse')));
    const parts = await collect(await adapter.chatStream(call({ stream: true })));
    expect(fake.requests.at(-1)?.json).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(parts[0]).toMatchObject({ type: 'response-metadata', model: 'deepseek-ai/DeepSeek-R1' });
    expect(parts.flatMap((part) => (part.type === 'reasoning-delta' ? [part.delta] : [])).join('')).toBe('Two plus two is four.');
    expect(parts.find((part) => part.type === 'usage')).toMatchObject({ usage: { outputTokens: { total: 25, text: 1, reasoning: 24 } } });
  });

  it('streams tool call fragments from a TGI endpoint given as api_base', async () => {
    fake.setHandler((_request, response) => sendSse(response, sseFrames('tgi-stream-tool-call.sse')));
    const parts = await collect(await adapter.chatStream(call({ stream: true }, { apiBase: fake.url, apiKey: undefined, upstreamModel: 'tgi' })));
    expect(fake.requests.at(-1)?.url).toBe('/v1/chat/completions');
    expect(fake.requests.at(-1)?.headers.authorization).toBeUndefined();
    expect(parts.filter((part) => part.type === 'tool-call-delta')).toEqual([
      { type: 'tool-call-delta', index: 0, toolCallIndex: 0, id: '0', name: 'get_weather', argumentsDelta: '{"' },
      { type: 'tool-call-delta', index: 0, toolCallIndex: 0, id: undefined, name: undefined, argumentsDelta: 'city":"Basel"}' },
    ]);
    expect(parts.find((part) => part.type === 'finish')).toMatchObject({ finishReason: { unified: 'tool_calls' } });
    expect(parts.find((part) => part.type === 'usage')).toMatchObject({ usage: { inputTokens: { total: 180 }, outputTokens: { total: 21 } } });
  });

  it('maps HTTP errors and TGI errors sent inside the stream', async () => {
    fake.setHandler((_request, response) => sendJson(response, 401, { error: 'Invalid credentials in Authorization header' }));
    await expect(adapter.chat(call({}))).rejects.toMatchObject({ code: 'authentication', status: 401, isRetryable: false });

    fake.setHandler((_request, response) => sendJson(response, 503, { error: 'Model is currently loading', estimated_time: 20 }, { 'retry-after': '20' }));
    await expect(adapter.chatStream(call({ stream: true }))).rejects.toMatchObject({ code: 'upstream_unavailable', retryAfterSeconds: 20 });

    fake.setHandler((_request, response) => sendSse(response, sseFrames('tgi-stream-error.sse')));
    const parts = await collect(await adapter.chatStream(call({ stream: true })));
    expect(parts.find((part) => part.type === 'text-delta')).toMatchObject({ delta: 'Once' });
    expect(parts.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_error', message: expect.stringContaining('CUDA out of memory') } });
  });

  it('refuses the router without a token before calling', async () => {
    await expect(adapter.chat(call({}, { apiBase: undefined, apiKey: undefined }))).rejects.toMatchObject({ code: 'authentication' });
  });

  it('embeds through the hf-inference feature-extraction pipeline', async () => {
    fake.setHandler((_request, response) => sendJson(response, 200, JSON.parse(fixture('feature-extraction-batch.json'))));
    const result = await adapter.embed({
      request: { model: 'huggingface/BAAI/bge-small-en-v1.5', input: ['first text', 'second text'], normalize: true },
      deployment: deployment({ apiBase: `${fake.url}/hf-inference`, upstreamModel: 'BAAI/bge-small-en-v1.5' }),
      signal: new AbortController().signal,
      requestId: 'req-2',
    });
    expect(fake.requests.at(-1)?.url).toBe('/hf-inference/models/BAAI/bge-small-en-v1.5/pipeline/feature-extraction');
    expect(fake.requests.at(-1)?.json).toEqual({ inputs: ['first text', 'second text'], normalize: true });
    expect(result.embeddings).toEqual([
      [0.0193, -0.0481, 0.0227, 0.0652],
      [-0.0344, 0.0116, 0.0871, -0.0059],
    ]);
  });

  it('refuses token-level (unpooled) feature extraction output', async () => {
    fake.setHandler((_request, response) => sendJson(response, 200, JSON.parse(fixture('feature-extraction-tokens.json'))));
    await expect(
      adapter.embed({
        request: { model: 'huggingface/bert-base-uncased', input: 'one text' },
        deployment: deployment({ apiBase: fake.url, upstreamModel: 'bert-base-uncased' }),
        signal: new AbortController().signal,
        requestId: 'req-3',
      }),
    ).rejects.toMatchObject({ code: 'upstream_error', isRetryable: false });
    expect(fake.requests.at(-1)?.url).toBe('/');
  });
});

describe('huggingface endpoints', () => {
  const deployment: ResolvedDeployment = { id: 'd', provider: 'huggingface', upstreamModel: 'intfloat/e5-large', apiKey: 'k', timeoutMs: 1, params: {} };
  it.each([
    [undefined, 'https://router.huggingface.co/v1'],
    ['https://x.endpoints.huggingface.cloud', 'https://x.endpoints.huggingface.cloud/v1'],
    ['https://x.endpoints.huggingface.cloud/v1/', 'https://x.endpoints.huggingface.cloud/v1'],
    ['http://tgi:8080/v1/chat/completions', 'http://tgi:8080/v1'],
  ])('api_base %s chats at %s', (apiBase, expected) => {
    expect(huggingFaceChatBase({ ...deployment, apiBase })).toBe(expected);
  });

  it('embeds at the router pipeline by default', () => {
    expect(huggingFaceFeatureExtractionEndpoint(deployment).url).toBe(
      'https://router.huggingface.co/hf-inference/models/intfloat/e5-large/pipeline/feature-extraction',
    );
  });
});

describe('HuggingFaceAdapter registration', () => {
  it('is registered as huggingface', () => {
    const registry = createProviderRegistry();
    expect(registry.get('huggingface')).toBeInstanceOf(HuggingFaceAdapter);
  });
});
