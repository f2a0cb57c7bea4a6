import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson, sendSse, startFakeServer } from '@switchboard/testing';
import type { FakeServer } from '@switchboard/testing';
import type { ChatRequest, ResolvedDeployment, StreamPart } from '@switchboard/spec';
import { CloudflareAdapter } from './cloudflare-adapter';
import { createProviderRegistry } from '../provider-registry';
import { cloudflareBaseUrl } from './cloudflare-api';

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

describe('CloudflareAdapter (wire)', () => {
  let fake: FakeServer;
  const adapter = new CloudflareAdapter();
  const accountPath = '/client/v4/accounts/0123abcd/ai/v1';
  const deployment = (overrides: Partial<ResolvedDeployment> = {}): ResolvedDeployment => ({
    id: 'd1',
    provider: 'cloudflare',
    upstreamModel: '@cf/meta/llama-3.3-70b-instruct-fp8-fast',
    apiBase: fake.url,
    apiKey: 'test-key',
    timeoutMs: 10_000,
    params: { cloudflare_account_id: '0123abcd' },
    ...overrides,
  });
  const call = (request: Partial<ChatRequest>, overrides: Partial<ResolvedDeployment> = {}) => ({
    request: { model: 'cloudflare/@cf/meta/llama-3.3-70b-instruct-fp8-fast', messages: [{ role: 'user' as const, content: 'Hi' }], ...request },
    deployment: deployment(overrides),
    signal: new AbortController().signal,
    requestId: 'req-1',
  });

  beforeAll(async () => {
    fake = await startFakeServer((_request, response) => sendJson(response, 500, {}));
  });
  afterAll(async () => fake.close());

  it('calls the account OpenAI-compatible endpoint with the @cf model and reads tool calls', async () => {
    fake.setHandler((_request, response) => sendJson(response, 200, JSON.parse(fixture('chat-tool-call.json'))));
    const result = await adapter.chat(
      call({ tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }], max_tokens: 256, temperature: 0.3 }),
    );
    const sent = fake.requests.at(-1);
    expect(sent?.url).toBe(`${accountPath}/chat/completions`);
    expect(sent?.headers.authorization).toBe('Bearer test-key');
    expect(sent?.json).toEqual({
      model: '@cf/meta/llama-3.3-70b-instruct-fp8-fast',
      messages: [{ role: 'user', content: 'Hi' }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
      max_tokens: 256,
      temperature: 0.3,
    });
    expect(result.choices[0]).toMatchObject({
      message: { content: null, toolCalls: [{ id: 'chatcmpl-tool-7f3a2c1b9e8d4f6a', function: { name: 'get_weather', arguments: '{"city": "Oslo"}' } }] },
      finishReason: { unified: 'tool_calls', raw: 'tool_calls' },
    });
    expect(result.usage).toMatchObject({ inputTokens: { total: 245 }, outputTokens: { total: 21 } });
  });

  it('streams text and the final usage chunk, asking for usage', async () => {
    fake.setHandler((_request, response) => sendSse(response, sseFrames('stream-text.sse')));
    const parts = await collect(
      await adapter.chatStream(call({ stream: true }, { apiBase: `${fake.url}/client/v4/accounts/0123abcd/ai/run/`, params: {}, upstreamModel: '@cf/meta/llama-3.1-8b-instruct' })),
    );
    expect(fake.requests.at(-1)?.url).toBe(`${accountPath}/chat/completions`);
    expect(fake.requests.at(-1)?.json).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(parts[0]).toMatchObject({ type: 'response-metadata', id: 'id-1754400100456', model: '@cf/meta/llama-3.1-8b-instruct' });
    expect(parts.flatMap((part) => (part.type === 'text-delta' ? [part.delta] : [])).join('')).toBe('Carve, sand, oil.');
    expect(parts.find((part) => part.type === 'finish')).toMatchObject({ finishReason: { unified: 'stop', raw: 'stop' } });
    expect(parts.at(-1)).toMatchObject({ type: 'usage', usage: { inputTokens: { total: 40 }, outputTokens: { total: 6 } } });
  });

  it('streams reasoning and tool call fragments', async () => {
    fake.setHandler((_request, response) => sendSse(response, sseFrames('stream-tool-call.sse')));
    const parts = await collect(await adapter.chatStream(call({ stream: true })));
    expect(parts.find((part) => part.type === 'reasoning-delta')).toMatchObject({ delta: 'Need the weather tool.' });
    expect(parts.filter((part) => part.type === 'tool-call-delta')).toEqual([
      { type: 'tool-call-delta', index: 0, toolCallIndex: 0, id: 'chatcmpl-tool-a1b2c3', name: 'get_weather', argumentsDelta: '' },
      { type: 'tool-call-delta', index: 0, toolCallIndex: 0, argumentsDelta: '{"city": "Bergen"}' },
    ]);
    expect(parts.find((part) => part.type === 'usage')).toMatchObject({ usage: { outputTokens: { total: 42, text: 33, reasoning: 9 } } });
  });

  it('reads v4 envelope errors, over HTTP and inside the stream', async () => {
    fake.setHandler((_request, response) => sendJson(response, 500, JSON.parse(fixture('error-envelope.json'))));
    await expect(adapter.chat(call({}))).rejects.toMatchObject({
      code: 'upstream_error',
      status: 502,
      isRetryable: true,
      providerCode: '3043',
      message: expect.stringContaining('Unknown internal error'),
    });

    fake.setHandler((_request, response) =>
      sendJson(response, 401, { success: false, errors: [{ code: 10000, message: 'Authentication error' }], messages: [], result: null }),
    );
    await expect(adapter.chatStream(call({ stream: true }))).rejects.toMatchObject({ code: 'authentication', isRetryable: false, message: 'cloudflare error: Authentication error' });

    const [first] = sseFrames('stream-text.sse');
    fake.setHandler((_request, response) => sendSse(response, [first, 'data: {"errors":[{"message":"AiError: Capacity temporarily exceeded","code":3040}]}\n\n']));
    const parts = await collect(await adapter.chatStream(call({ stream: true })));
    expect(parts[0].type).toBe('response-metadata');
    expect(parts.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_error', providerCode: '3040' } });
  });

  it('embeds through /ai/v1/embeddings', async () => {
    fake.setHandler((_request, response) => sendJson(response, 200, JSON.parse(fixture('embeddings.json'))));
    const result = await adapter.embed({
      request: { model: 'cloudflare/@cf/baai/bge-large-en-v1.5', input: 'I love matcha', encoding_format: 'base64' },
      deployment: deployment({ upstreamModel: '@cf/baai/bge-large-en-v1.5' }),
      signal: new AbortController().signal,
      requestId: 'req-2',
    });
    expect(fake.requests.at(-1)?.url).toBe(`${accountPath}/embeddings`);
    expect(fake.requests.at(-1)?.json).toEqual({ model: '@cf/baai/bge-large-en-v1.5', input: 'I love matcha' });
    expect(result.embeddings).toEqual([[0.0089, -0.0231, 0.0417, 0.0062]]);
    expect(result.usage.inputTokens).toBe(6);
  });
});

describe('cloudflareBaseUrl', () => {
  const deployment: ResolvedDeployment = { id: 'd', provider: 'cloudflare', upstreamModel: 'm', timeoutMs: 1, params: { cloudflare_account_id: 'acc1' } };
  it.each([
    [undefined, 'https://api.cloudflare.com/client/v4/accounts/acc1/ai/v1'],
    ['https://api.cloudflare.com/client/v4/accounts/acc2/ai/run/', 'https://api.cloudflare.com/client/v4/accounts/acc2/ai/v1'],
    ['https://api.cloudflare.com/client/v4/accounts/acc2/ai/v1', 'https://api.cloudflare.com/client/v4/accounts/acc2/ai/v1'],
    ['https://gateway.ai.cloudflare.com/v1/acc1/my-gateway/workers-ai', 'https://gateway.ai.cloudflare.com/v1/acc1/my-gateway/workers-ai/v1'],
    ['https://gateway.ai.cloudflare.com/v1/acc1/my-gateway/workers-ai/v1/', 'https://gateway.ai.cloudflare.com/v1/acc1/my-gateway/workers-ai/v1'],
  ])('api_base %s -> %s', (apiBase, expected) => {
    expect(cloudflareBaseUrl({ ...deployment, apiBase })).toBe(expected);
  });

  it('refuses a deployment without an account before calling', () => {
    expect(() => cloudflareBaseUrl({ ...deployment, params: {} })).toThrow(/cloudflare_account_id/);
    expect(() => cloudflareBaseUrl({ ...deployment, params: { cloudflare_account_id: '../x' } })).toThrow(/cloudflare_account_id/);
  });
});

describe('CloudflareAdapter registration', () => {
  it('is registered as cloudflare', () => {
    const registry = createProviderRegistry();
    expect(registry.get('cloudflare')).toBeInstanceOf(CloudflareAdapter);
  });
});
