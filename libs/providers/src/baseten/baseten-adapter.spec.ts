import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson, sendSse, startFakeServer } from '@switchboard/testing';
import type { FakeServer } from '@switchboard/testing';
import type { ChatRequest, ResolvedDeployment, StreamPart } from '@switchboard/spec';
import { createProviderRegistry } from '../provider-registry';
import { BasetenAdapter } from './baseten-adapter';
import { basetenEndpoint, basetenPreset } from './baseten-api';

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const sseFrames = (name: string): string[] => [
  ...fixture(name)
    .trim()
    .split('\n')
    .map((line) => `data: ${line}\n\n`),
  'data: [DONE]\n\n',
];

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const collected: StreamPart[] = [];
  for await (const part of parts) collected.push(part);
  return collected;
}

const text = (parts: StreamPart[]): string => parts.flatMap((part) => (part.type === 'text-delta' ? [part.delta] : [])).join('');

describe('BasetenAdapter (wire)', () => {
  let fake: FakeServer;
  const adapter = new BasetenAdapter();
  const deployment = (apiBase: string, upstreamModel = 'openai/gpt-oss-120b'): ResolvedDeployment => ({
    id: 'd1',
    provider: 'baseten',
    upstreamModel,
    apiBase,
    apiKey: 'test-key',
    timeoutMs: 10_000,
    params: {},
  });
  const call = (apiBase: string, request: Partial<ChatRequest> = {}) => ({
    request: { model: 'baseten/x', messages: [{ role: 'user' as const, content: 'Bonjour' }], ...request },
    deployment: deployment(apiBase),
    signal: new AbortController().signal,
    requestId: 'req-1',
  });
  const predictUrl = () => `${fake.url}/environments/production/predict`;

  beforeAll(async () => {
    fake = await startFakeServer((_request, response) => sendJson(response, 500, {}));
  });
  afterAll(async () => fake.close());

  it('calls Model APIs with a Bearer key and reads reasoning and cached usage', async () => {
    fake.setHandler((_request, response) => sendJson(response, 200, JSON.parse(fixture('model-api-chat-reasoning.json'))));
    const result = await adapter.chat(call(`${fake.url}/v1`, { max_completion_tokens: 100 }));
    const sent = fake.requests.at(-1);
    expect(sent?.url).toBe('/v1/chat/completions');
    expect(sent?.headers.authorization).toBe('Bearer test-key');
    expect(sent?.json).toEqual({ model: 'openai/gpt-oss-120b', messages: [{ role: 'user', content: 'Bonjour' }], max_completion_tokens: 100 });
    expect(result.choices[0].message).toMatchObject({
      content: 'The capital of Australia is Canberra.',
      reasoningContent: "The user asks for Australia's capital. It is Canberra, not Sydney.",
    });
    expect(result.usage).toMatchObject({
      inputTokens: { total: 84, noCache: 20, cacheRead: 64, cacheWrite: 0 },
      outputTokens: { total: 41, text: 12, reasoning: 29 },
    });
  });

  it('streams a Model API tool call with its usage', async () => {
    fake.setHandler((_request, response) => sendSse(response, sseFrames('model-api-stream-tool-call.jsonl')));
    const parts = await collect(await adapter.chatStream(call(`${fake.url}/v1`, { stream: true })));
    expect(fake.requests.at(-1)?.json).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(parts[0]).toMatchObject({ type: 'response-metadata', model: 'moonshotai/Kimi-K2-Instruct-0905' });
    expect(parts.filter((part) => part.type === 'tool-call-delta')).toEqual([
      { type: 'tool-call-delta', index: 0, toolCallIndex: 0, id: 'functions.get_weather:0', name: 'get_weather', argumentsDelta: '' },
      { type: 'tool-call-delta', index: 0, toolCallIndex: 0, id: undefined, name: undefined, argumentsDelta: '{"city": ' },
      { type: 'tool-call-delta', index: 0, toolCallIndex: 0, id: undefined, name: undefined, argumentsDelta: '"Oslo"}' },
    ]);
    expect(parts.find((part) => part.type === 'finish')).toMatchObject({ finishReason: { unified: 'tool_calls', raw: 'tool_calls' } });
    expect(parts.at(-1)).toMatchObject({ type: 'usage', usage: { inputTokens: { total: 112 }, outputTokens: { total: 19 } } });
  });

  it('posts the OpenAI body to a dedicated /predict URL with an Api-Key header and reads a chat completion', async () => {
    fake.setHandler((_request, response) => sendJson(response, 200, JSON.parse(fixture('predict-chat-completion.json'))));
    const result = await adapter.chat(call(predictUrl(), { temperature: 0.2, max_tokens: 64 }));
    const sent = fake.requests.at(-1);
    expect(sent?.url).toBe('/environments/production/predict');
    expect(sent?.headers.authorization).toBe('Api-Key test-key');
    expect(sent?.json).toEqual({ model: 'openai/gpt-oss-120b', messages: [{ role: 'user', content: 'Bonjour' }], temperature: 0.2, max_tokens: 64 });
    expect(result.choices[0].message.content).toBe('Bonjour ! Comment puis-je vous aider ?');
    expect(result.usage.inputTokens.total).toBe(23);
  });

  it('reads a bare string from /predict with estimated usage', async () => {
    fake.setHandler((_request, response) => sendJson(response, 200, 'Salut.'));
    const result = await adapter.chat(call(predictUrl()));
    expect(result.choices[0]).toMatchObject({ message: { content: 'Salut.' }, finishReason: { unified: 'stop', raw: null } });
    expect(result.usage).toMatchObject({ inputTokens: { total: 2 }, outputTokens: { total: 2 }, raw: { estimated: true } });
  });

  it('streams raw text from a Truss generator, without stream_options, with estimated usage', async () => {
    fake.setHandler((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      for (const chunk of fixture('predict-stream.txt').trim().split('\n')) response.write(chunk);
      response.end();
    });
    const parts = await collect(await adapter.chatStream(call(predictUrl(), { stream: true })));
    expect(fake.requests.at(-1)?.json).toMatchObject({ stream: true });
    expect(fake.requests.at(-1)?.json).not.toHaveProperty('stream_options');
    expect(parts[0]).toMatchObject({ type: 'response-metadata', id: 'chatcmpl-req-1', model: 'openai/gpt-oss-120b' });
    expect(text(parts)).toBe('The Truss streamed this answer.');
    expect(parts.at(-2)).toEqual({ type: 'finish', index: 0, finishReason: { unified: 'stop', raw: null } });
    expect(parts.at(-1)).toMatchObject({ type: 'usage', usage: { outputTokens: { total: 8 }, raw: { estimated: true } } });
  });

  it('streams OpenAI chunks when /predict answers with SSE', async () => {
    fake.setHandler((_request, response) => sendSse(response, sseFrames('model-api-stream-tool-call.jsonl')));
    const parts = await collect(await adapter.chatStream(call(predictUrl(), { stream: true })));
    expect(parts.filter((part) => part.type === 'tool-call-delta')).toHaveLength(3);
    expect(parts.at(-1)).toMatchObject({ type: 'usage', usage: { inputTokens: { total: 112 } } });
  });

  it('maps HTTP errors on both paths and errors inside a stream', async () => {
    fake.setHandler((_request, response) => sendJson(response, 503, { error: 'Model is waking up' }, { 'retry-after': '10' }));
    await expect(adapter.chatStream(call(predictUrl(), { stream: true }))).rejects.toMatchObject({
      code: 'upstream_unavailable',
      isRetryable: true,
      retryAfterSeconds: 10,
      message: 'baseten error: Model is waking up',
    });

    fake.setHandler((_request, response) => sendJson(response, 404, { error: { message: 'Model not found', type: 'not_found_error' } }));
    await expect(adapter.chat(call(`${fake.url}/v1`))).rejects.toMatchObject({ code: 'not_found', status: 404, isRetryable: false });

    const [first] = sseFrames('model-api-stream-tool-call.jsonl');
    fake.setHandler((_request, response) => sendSse(response, [first, 'data: {"error":{"message":"upstream overloaded","code":503}}\n\n']));
    const parts = await collect(await adapter.chatStream(call(`${fake.url}/v1`, { stream: true })));
    expect(parts.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_unavailable', retryable: true } });
  });

  it('refuses embeddings against a /predict URL', async () => {
    await expect(
      adapter.embed({ request: { model: 'baseten/x', input: 'a' }, deployment: deployment(predictUrl()), signal: new AbortController().signal, requestId: 'r' }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
  });
});

describe('basetenEndpoint', () => {
  const base: ResolvedDeployment = { id: 'd1', provider: 'baseten', upstreamModel: 'deepseek-ai/DeepSeek-V3.1', apiKey: 'k', timeoutMs: 1, params: {} };

  it.each([
    [{}, 'https://inference.baseten.co/v1/chat/completions', 'Bearer k'],
    [{ upstreamModel: 'abcd1234' }, 'https://model-abcd1234.api.baseten.co/environments/production/sync/v1/chat/completions', 'Api-Key k'],
    [{ apiBase: 'https://model-q1w2e3r4.api.baseten.co/environments/production/sync/v1' }, 'https://model-q1w2e3r4.api.baseten.co/environments/production/sync/v1/chat/completions', 'Api-Key k'],
  ])('%j -> %s with %s', (overrides, url, authorization) => {
    const endpoint = basetenEndpoint(basetenPreset, { ...base, ...overrides }, '/chat/completions');
    expect(endpoint.url).toBe(url);
    expect(endpoint.headers.authorization).toBe(authorization);
  });
});

describe('BasetenAdapter registration', () => {
  it('is registered as baseten', () => {
    expect(createProviderRegistry().get('baseten')).toBeInstanceOf(BasetenAdapter);
  });
});
