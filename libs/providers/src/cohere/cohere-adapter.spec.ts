import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson, sendSse, startFakeServer } from '@switchboard/testing';
import type { FakeServer } from '@switchboard/testing';
import { SwitchboardError } from '@switchboard/spec';
import type { ChatRequest, ResolvedDeployment, StreamPart } from '@switchboard/spec';
import { CohereAdapter } from './cohere-adapter';
import { createProviderRegistry } from '../provider-registry';

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
/** Cohere names each SSE event after its `type`. */
const sseFrames = (name: string): string[] =>
  fixture(name)
    .trim()
    .split('\n')
    .map((line) => `event: ${(JSON.parse(line) as { type: string }).type}\ndata: ${line}\n\n`);

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const collected: StreamPart[] = [];
  for await (const part of parts) collected.push(part);
  return collected;
}

describe('CohereAdapter (wire)', () => {
  let fake: FakeServer;
  const adapter = new CohereAdapter();
  const deployment = (): ResolvedDeployment => ({
    id: 'd1',
    provider: 'cohere',
    upstreamModel: 'command-a-03-2025',
    apiBase: fake.url,
    apiKey: 'test-key',
    timeoutMs: 10_000,
    params: {},
  });
  const call = (request: Partial<ChatRequest>) => ({
    request: { model: 'cohere/command-a-03-2025', messages: [{ role: 'user' as const, content: 'Hi' }], ...request },
    deployment: deployment(),
    signal: new AbortController().signal,
    requestId: 'req-1',
  });

  beforeAll(async () => {
    fake = await startFakeServer((_request, response) => sendJson(response, 500, {}));
  });
  afterAll(async () => fake.close());

  it('sends a v2 chat request with history, tools and a JSON schema, and reads tool calls', async () => {
    fake.setHandler((_request, response) => sendJson(response, 200, JSON.parse(fixture('chat-tool-call.json'))));
    const result = await adapter.chat(
      call({
        messages: [
          { role: 'developer', content: 'Be brief.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Weather here?' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' } },
            ],
          },
          {
            role: 'assistant',
            content: 'Checking.',
            tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Faro"}' } }],
          },
          { role: 'tool', tool_call_id: 'call_1', content: '21C' },
        ],
        tools: [
          { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } },
          { type: 'function', function: { name: 'get_time' } },
        ],
        tool_choice: 'required',
        response_format: { type: 'json_schema', json_schema: { name: 'w', schema: { type: 'object' } } },
        max_completion_tokens: 200,
        top_p: 0.9,
        stop: 'END',
        seed: 7,
        user: 'u-1',
      }),
    );

    const sent = fake.requests.at(-1);
    expect(sent?.url).toBe('/v2/chat');
    expect(sent?.headers.authorization).toBe('Bearer test-key');
    expect(sent?.json).toMatchObject({
      model: 'command-a-03-2025',
      stream: false,
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather here?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' } },
          ],
        },
        {
          role: 'assistant',
          tool_plan: 'Checking.',
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Faro"}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '21C' },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather' } }, { type: 'function', function: { name: 'get_time' } }],
      tool_choice: 'REQUIRED',
      response_format: { type: 'json_object', json_schema: { type: 'object' } },
      max_tokens: 200,
      p: 0.9,
      stop_sequences: ['END'],
      seed: 7,
    });
    expect(sent?.json).not.toHaveProperty('user');

    expect(result.id).toBe('5a1c2e9f-7d3b-4c8e-9f21-0b6a4d3e8c17');
    expect(result.warnings).toEqual(['cohere does not support user; it was not sent']);
    expect(result.choices[0]).toMatchObject({
      message: {
        content: 'I will look up the weather in Lisbon and Porto.',
        toolCalls: [
          { id: 'get_weather_k3j9x2m7p4qa', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Lisbon"}' } },
          { id: 'get_time_w8n2c5v1z6rt', type: 'function', function: { name: 'get_time', arguments: '{}' } },
        ],
      },
      finishReason: { unified: 'tool_calls', raw: 'TOOL_CALL' },
    });
    // Billed units, not `tokens` (which include Cohere's own preamble); the rest stays in raw.
    expect(result.usage).toMatchObject({
      inputTokens: { total: 41, noCache: 41, cacheRead: 0, cacheWrite: 0 },
      outputTokens: { total: 38, text: 38, reasoning: 0 },
      raw: { tokens: { input_tokens: 1472, output_tokens: 87 }, cached_tokens: 1024 },
    });
  });

  it('reads thinking content as reasoning', async () => {
    fake.setHandler((_request, response) => sendJson(response, 200, JSON.parse(fixture('chat-reasoning.json'))));
    const result = await adapter.chat(call({ reasoning_effort: 'high' }));
    expect(fake.requests.at(-1)?.json).toMatchObject({ thinking: { type: 'enabled' } });
    expect(result.choices[0].message).toMatchObject({
      content: '17 × 3 = 51',
      reasoningContent: 'The user wants 17 times 3. 17 times 3 is 51.',
    });
    expect(result.choices[0].finishReason).toEqual({ unified: 'stop', raw: 'COMPLETE' });
  });

  it('streams parallel tool calls with the plan as text, then finish and billed usage', async () => {
    fake.setHandler((_request, response) => sendSse(response, sseFrames('stream-tool-call.jsonl')));
    const parts = await collect(await adapter.chatStream(call({ stream: true, parallel_tool_calls: false, tools: [{ type: 'function', function: { name: 'get_weather' } }] })));

    expect(fake.requests.at(-1)?.json).toMatchObject({ stream: true });
    expect(fake.requests.at(-1)?.headers.accept).toBe('text/event-stream');
    expect(parts[0]).toMatchObject({ type: 'response-metadata', id: '8e21b6c4-3f0a-4d5e-b7c9-1a2d3e4f5a6b', model: 'command-a-03-2025' });
    expect(parts[1]).toEqual({ type: 'warning', message: 'cohere cannot turn off parallel tool calls; parallel_tool_calls was ignored' });
    const text = parts.filter((part) => part.type === 'text-delta').map((part) => (part.type === 'text-delta' ? part.delta : ''));
    expect(text.join('')).toBe('I will check the weather.');
    expect(parts.filter((part) => part.type === 'tool-call-delta')).toEqual([
      { type: 'tool-call-delta', index: 0, toolCallIndex: 0, id: 'get_weather_5fq8z1x0c2vb', name: 'get_weather', argumentsDelta: '' },
      { type: 'tool-call-delta', index: 0, toolCallIndex: 0, argumentsDelta: '{"' },
      { type: 'tool-call-delta', index: 0, toolCallIndex: 0, argumentsDelta: 'city": "Lisbon"}' },
      { type: 'tool-call-delta', index: 0, toolCallIndex: 1, id: 'get_weather_9hd3k6w2y7ma', name: 'get_weather', argumentsDelta: '' },
      { type: 'tool-call-delta', index: 0, toolCallIndex: 1, argumentsDelta: '{"city": "Porto"}' },
    ]);
    expect(parts.at(-2)).toEqual({ type: 'finish', index: 0, finishReason: { unified: 'tool_calls', raw: 'TOOL_CALL' } });
    expect(parts.at(-1)).toMatchObject({
      type: 'usage',
      usage: { inputTokens: { total: 37, noCache: 37, cacheRead: 0 }, outputTokens: { total: 29 }, raw: { cached_tokens: 1472 } },
    });
  });

  it('streams thinking blocks as reasoning deltas', async () => {
    fake.setHandler((_request, response) => sendSse(response, sseFrames('stream-reasoning.jsonl')));
    const parts = await collect(await adapter.chatStream(call({ stream: true })));
    const reasoning = parts.flatMap((part) => (part.type === 'reasoning-delta' ? [part.delta] : []));
    const text = parts.flatMap((part) => (part.type === 'text-delta' ? [part.delta] : []));
    expect(reasoning.join('')).toBe('Adding 2 and 2 gives 4.');
    expect(text.join('')).toBe('2 + 2 = 4.');
    expect(parts.at(-2)).toMatchObject({ type: 'finish', finishReason: { unified: 'stop', raw: 'COMPLETE' } });
  });

  it('maps an HTTP error to a typed error without leaking the key', async () => {
    fake.setHandler((_request, response) =>
      sendJson(response, 429, { id: 'e1', message: 'You are using a Trial key, which is limited to 10 API calls / minute.' }, { 'retry-after': '12' }),
    );
    const failure = await adapter.chat(call({})).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SwitchboardError);
    expect(failure).toMatchObject({ code: 'rate_limited', status: 429, isRetryable: true, retryAfterSeconds: 12 });
    expect((failure as Error).message).toContain('Trial key');
    expect((failure as Error).message).not.toContain('test-key');

    fake.setHandler((_request, response) => sendJson(response, 498, { id: 'e2', message: 'invalid api token' }));
    await expect(adapter.chatStream(call({ stream: true }))).rejects.toMatchObject({ code: 'authentication', status: 401, isRetryable: false });
  });

  it('yields an error part when the stream carries an error after the first event', async () => {
    const [start] = sseFrames('stream-reasoning.jsonl');
    fake.setHandler((_request, response) => sendSse(response, [start, 'event: error\ndata: {"message":"internal server error"}\n\n']));
    const parts = await collect(await adapter.chatStream(call({ stream: true })));
    expect(parts[0].type).toBe('response-metadata');
    expect(parts.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_error', retryable: true } });
  });

  it('embeds texts through v2 embed with a document input type by default', async () => {
    fake.setHandler((_request, response) => sendJson(response, 200, JSON.parse(fixture('embed.json'))));
    const result = await adapter.embed({
      request: { model: 'cohere/embed-v4.0', input: ['sunny day at the beach', 'rainy night in the city'], dimensions: 256 },
      deployment: { ...deployment(), upstreamModel: 'embed-v4.0' },
      signal: new AbortController().signal,
      requestId: 'req-2',
    });
    expect(fake.requests.at(-1)?.url).toBe('/v2/embed');
    expect(fake.requests.at(-1)?.json).toEqual({
      model: 'embed-v4.0',
      texts: ['sunny day at the beach', 'rainy night in the city'],
      input_type: 'search_document',
      embedding_types: ['float'],
      output_dimension: 256,
    });
    expect(result.embeddings).toHaveLength(2);
    expect(result.embeddings[1]).toEqual([-0.0611, 0.0129, -0.0275, 0.0944]);
    expect(result.usage.inputTokens).toBe(11);
  });
});

describe('CohereAdapter registration', () => {
  it('is registered as cohere', () => {
    const registry = createProviderRegistry();
    expect(registry.get('cohere')).toBeInstanceOf(CohereAdapter);
  });
});
