import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson, sendSse, startFakeServer } from '@switchboard/testing';
import type { FakeServer } from '@switchboard/testing';
import type { ChatRequest, ResolvedDeployment, StreamPart } from '@switchboard/spec';
import { MistralAdapter } from './mistral-adapter';
import { createProviderRegistry } from '../provider-registry';
import { toMistralToolCallId } from './convert-to-mistral-request';

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

const deltas = (parts: StreamPart[], type: 'text-delta' | 'reasoning-delta'): string =>
  parts.flatMap((part) => (part.type === type ? [part.delta] : [])).join('');

describe('MistralAdapter (wire)', () => {
  let fake: FakeServer;
  const adapter = new MistralAdapter();
  const deployment = (): ResolvedDeployment => ({
    id: 'd1',
    provider: 'mistral',
    upstreamModel: 'mistral-large-latest',
    apiBase: `${fake.url}/v1`,
    apiKey: 'test-key',
    timeoutMs: 10_000,
    params: { safe_prompt: true },
  });
  const call = (request: Partial<ChatRequest>) => ({
    request: { model: 'mistral/mistral-large-latest', messages: [{ role: 'user' as const, content: 'Hi' }], ...request },
    deployment: deployment(),
    signal: new AbortController().signal,
    requestId: 'req-1',
  });

  beforeAll(async () => {
    fake = await startFakeServer((_request, response) => sendJson(response, 500, {}));
  });
  afterAll(async () => fake.close());

  it('sends Mistral field names and nine-character tool call ids, and reads tool calls and cached usage', async () => {
    fake.setHandler((_request, response) => sendJson(response, 200, JSON.parse(fixture('chat-tool-call.json'))));
    const result = await adapter.chat(
      call({
        messages: [
          { role: 'developer', content: 'Answer in French.' },
          { role: 'user', content: 'Weather in Lyon?', name: 'ana' },
          {
            role: 'assistant',
            content: null,
            reasoning_content: 'I should call the tool.',
            tool_calls: [{ id: 'call_9f8e7d6c5b4a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Lyon"}' } }],
          },
          { role: 'tool', tool_call_id: 'call_9f8e7d6c5b4a', content: '18C' },
        ],
        tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
        tool_choice: 'required',
        seed: 42,
        max_completion_tokens: 300,
        user: 'u-1',
      }),
    );

    const sent = fake.requests.at(-1);
    const mistralId = toMistralToolCallId('call_9f8e7d6c5b4a');
    expect(mistralId).toMatch(/^[A-Za-z0-9]{9}$/);
    expect(sent?.url).toBe('/v1/chat/completions');
    expect(sent?.headers.authorization).toBe('Bearer test-key');
    expect(sent?.json).toEqual({
      model: 'mistral-large-latest',
      messages: [
        { role: 'system', content: 'Answer in French.' },
        { role: 'user', content: 'Weather in Lyon?' },
        { role: 'assistant', tool_calls: [{ id: mistralId, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Lyon"}' } }] },
        { role: 'tool', content: '18C', tool_call_id: mistralId, name: 'get_weather' },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
      tool_choice: 'any',
      random_seed: 42,
      max_tokens: 300,
      safe_prompt: true,
    });
    expect(result.warnings).toEqual(['mistral does not support user; it was not sent']);
    expect(result.choices[0]).toMatchObject({
      message: { content: null, toolCalls: [{ id: 'Xk3pQ9zLm', function: { name: 'get_weather', arguments: '{"city": "Lyon"}' } }] },
      finishReason: { unified: 'tool_calls', raw: 'tool_calls' },
    });
    expect(result.usage.inputTokens).toEqual({ total: 131, noCache: 67, cacheRead: 64, cacheWrite: 0 });
    expect(result.usage.raw).toMatchObject({ num_cached_tokens: 64 });
  });

  it('reads Magistral thinking chunks as reasoning', async () => {
    fake.setHandler((_request, response) => sendJson(response, 200, JSON.parse(fixture('chat-reasoning.json'))));
    const result = await adapter.chat(call({ reasoning_effort: 'medium' }));
    expect(fake.requests.at(-1)?.json).toMatchObject({ reasoning_effort: 'high' });
    expect(result.warnings).toEqual(['mistral supports reasoning_effort none or high; medium was sent as high']);
    expect(result.choices[0].message).toMatchObject({ content: '12² = 144', reasoningContent: 'Twelve squared is 144.' });
    expect(result.usage.outputTokens).toEqual({ total: 58, text: 17, reasoning: 41 });
  });

  it('streams thinking chunks as reasoning deltas without sending stream_options', async () => {
    fake.setHandler((_request, response) => sendSse(response, sseFrames('stream-reasoning.jsonl')));
    const parts = await collect(await adapter.chatStream(call({ stream: true, stream_options: { include_usage: true } })));
    expect(fake.requests.at(-1)?.json).toMatchObject({ stream: true });
    expect(fake.requests.at(-1)?.json).not.toHaveProperty('stream_options');
    expect(parts[0]).toMatchObject({ type: 'response-metadata', id: '3e8d1a6f2b9c4e7d8a5f0c1b2d3e4f5a', model: 'magistral-small-2507' });
    expect(deltas(parts, 'reasoning-delta')).toBe('Seven times six is 42.');
    expect(deltas(parts, 'text-delta')).toBe('7 × 6 = 42');
    expect(parts.find((part) => part.type === 'finish')).toEqual({ type: 'finish', index: 0, finishReason: { unified: 'stop', raw: 'stop' } });
  });

  it('streams whole tool calls without index as separate calls, with cached usage', async () => {
    fake.setHandler((_request, response) => sendSse(response, sseFrames('stream-tool-call.jsonl')));
    const parts = await collect(await adapter.chatStream(call({ stream: true, logprobs: true })));
    expect(parts[1]).toEqual({ type: 'warning', message: 'mistral does not support logprobs; it was not sent' });
    expect(parts.filter((part) => part.type === 'tool-call-delta')).toEqual([
      { type: 'tool-call-delta', index: 0, toolCallIndex: 0, id: 'aB3dE5gH7', name: 'get_weather', argumentsDelta: '{"city": "Nice"}' },
      { type: 'tool-call-delta', index: 0, toolCallIndex: 1, id: 'kL9mN1pQ3', name: 'get_weather', argumentsDelta: '{"city": "Brest"}' },
    ]);
    expect(parts.find((part) => part.type === 'finish')).toMatchObject({ finishReason: { unified: 'tool_calls' } });
    expect(parts.find((part) => part.type === 'usage')).toMatchObject({
      usage: { inputTokens: { total: 212, cacheRead: 128, noCache: 84 }, outputTokens: { total: 39 }, raw: { num_cached_tokens: 128 } },
    });
  });

  it('maps model_length to a length finish that keeps the raw reason', async () => {
    fake.setHandler((_request, response) => sendSse(response, sseFrames('stream-model-length.jsonl')));
    const parts = await collect(await adapter.chatStream(call({ stream: true })));
    expect(parts.find((part) => part.type === 'finish')).toMatchObject({ finishReason: { unified: 'length', raw: 'model_length' } });
  });

  it('maps HTTP errors, including validation details, and in-stream errors', async () => {
    fake.setHandler((_request, response) =>
      sendJson(response, 422, {
        object: 'error',
        message: { detail: [{ type: 'extra_forbidden', loc: ['body', 'foo'], msg: 'Extra inputs are not permitted' }] },
        type: 'invalid_request_message_error',
        param: null,
        code: null,
      }),
    );
    await expect(adapter.chat(call({}))).rejects.toMatchObject({
      code: 'invalid_request',
      status: 422,
      isRetryable: false,
      providerCode: 'invalid_request_message_error',
      message: expect.stringContaining('Extra inputs are not permitted'),
    });

    fake.setHandler((_request, response) => sendJson(response, 429, { object: 'error', message: 'Requests rate limit exceeded', type: 'rate_limited' }, { 'retry-after': '3' }));
    await expect(adapter.chatStream(call({ stream: true }))).rejects.toMatchObject({ code: 'rate_limited', retryAfterSeconds: 3, isRetryable: true });

    const [first] = sseFrames('stream-reasoning.jsonl');
    fake.setHandler((_request, response) =>
      sendSse(response, [first, 'data: {"object":"error","message":"Service unavailable.","type":"internal_server_error","code":"3000"}\n\n']),
    );
    const parts = await collect(await adapter.chatStream(call({ stream: true })));
    expect(parts[0].type).toBe('response-metadata');
    expect(parts.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_error', retryable: true } });
  });

  it('embeds with only documented fields and returns vectors in input order', async () => {
    fake.setHandler((_request, response) => sendJson(response, 200, JSON.parse(fixture('embeddings.json'))));
    const result = await adapter.embed({
      request: { model: 'mistral/mistral-embed', input: ['first', 'second'], user: 'u-1', dimensions: 512 },
      deployment: { ...deployment(), upstreamModel: 'mistral-embed' },
      signal: new AbortController().signal,
      requestId: 'req-2',
    });
    expect(fake.requests.at(-1)?.url).toBe('/v1/embeddings');
    expect(fake.requests.at(-1)?.json).toEqual({ model: 'mistral-embed', input: ['first', 'second'], output_dimension: 512 });
    expect(result.embeddings).toEqual([
      [-0.0231, 0.0398, 0.0559, 0.0032],
      [-0.0165, 0.0706, 0.0331, -0.0117],
    ]);
    expect(result.usage.inputTokens).toBe(15);
  });
});

describe('MistralAdapter registration', () => {
  it('is registered as mistral', () => {
    const registry = createProviderRegistry();
    expect(registry.get('mistral')).toBeInstanceOf(MistralAdapter);
  });
});
