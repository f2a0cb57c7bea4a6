import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson, startFakeServer } from '@switchboard/testing';
import type { FakeServer } from '@switchboard/testing';
import type { ChatRequest, ResolvedDeployment, StreamPart } from '@switchboard/spec';
import { OllamaAdapter } from './ollama-adapter';
import { createProviderRegistry } from '../provider-registry';

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

/** Ollama streams newline-delimited JSON; lines are written one by one as a real server does. */
function sendNdjson(response: ServerResponse, lines: string[]): void {
  response.writeHead(200, { 'content-type': 'application/x-ndjson' });
  for (const line of lines) response.write(`${line}\n`);
  response.end();
}
const ndjsonLines = (name: string): string[] => fixture(name).trim().split('\n');

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const collected: StreamPart[] = [];
  for await (const part of parts) collected.push(part);
  return collected;
}

describe('OllamaAdapter (wire)', () => {
  let fake: FakeServer;
  const adapter = new OllamaAdapter();
  const deployment = (): ResolvedDeployment => ({
    id: 'd1',
    provider: 'ollama',
    upstreamModel: 'llama3.2',
    apiBase: fake.url,
    apiKey: 'test-key',
    timeoutMs: 10_000,
    params: { keep_alive: '10m' },
  });
  const call = (request: Partial<ChatRequest>, overrides: Partial<ResolvedDeployment> = {}) => ({
    request: { model: 'ollama/llama3.2', messages: [{ role: 'user' as const, content: 'Hi' }], ...request },
    deployment: { ...deployment(), ...overrides },
    signal: new AbortController().signal,
    requestId: 'req-1',
  });

  beforeAll(async () => {
    fake = await startFakeServer((_request, response) => sendJson(response, 500, {}));
  });
  afterAll(async () => fake.close());

  it('sends a native chat request (options, images, object arguments, tool names) and reads tool calls', async () => {
    fake.setHandler((_request, response) => sendJson(response, 200, JSON.parse(fixture('chat-tool-call.json'))));
    const result = await adapter.chat(
      call({
        messages: [
          { role: 'system', content: 'You are terse.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What city is this? ' },
              { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQSkZJRg==' } },
            ],
          },
          {
            role: 'assistant',
            content: '',
            tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Tokyo"}' } }],
          },
          { role: 'tool', tool_call_id: 'call_a', content: '28C' },
        ],
        tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object' } } }],
        response_format: { type: 'json_schema', json_schema: { name: 'r', schema: { type: 'object', properties: { city: { type: 'string' } } } } },
        temperature: 0.2,
        top_p: 0.8,
        seed: 11,
        max_tokens: 64,
        stop: ['\n\n'],
        num_ctx: 8192,
      }),
    );

    const sent = fake.requests.at(-1);
    expect(sent?.url).toBe('/api/chat');
    expect(sent?.headers.authorization).toBe('Bearer test-key');
    expect(sent?.json).toEqual({
      model: 'llama3.2',
      stream: false,
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'What city is this? ', images: ['/9j/4AAQSkZJRg=='] },
        { role: 'assistant', content: '', tool_calls: [{ id: 'call_a', function: { name: 'get_weather', arguments: { city: 'Tokyo' } } }] },
        { role: 'tool', content: '28C', tool_call_id: 'call_a', tool_name: 'get_weather' },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object' } } }],
      format: { type: 'object', properties: { city: { type: 'string' } } },
      options: { temperature: 0.2, top_p: 0.8, seed: 11, num_predict: 64, stop: ['\n\n'], num_ctx: 8192 },
      keep_alive: '10m',
    });

    const message = result.choices[0].message;
    expect(message.content).toBeNull();
    expect(message.toolCalls?.map((toolCall) => toolCall.function)).toEqual([
      { name: 'get_weather', arguments: '{"city":"Tokyo"}' },
      { name: 'get_weather', arguments: '{"city":"Osaka","unit":"celsius"}' },
    ]);
    expect(message.toolCalls?.[0].id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(message.toolCalls?.[0].id).not.toBe(message.toolCalls?.[1].id);
    expect(result.choices[0].finishReason).toEqual({ unified: 'tool_calls', raw: 'stop' });
    expect(result.usage).toMatchObject({ inputTokens: { total: 169, noCache: 169 }, outputTokens: { total: 18 } });
    expect(result.created).toBe(Math.floor(Date.parse('2025-07-07T20:32:53.844124Z') / 1000));
  });

  it('asks thinking models to think and reads thinking as reasoning', async () => {
    fake.setHandler((_request, response) => sendJson(response, 200, JSON.parse(fixture('chat-thinking.json'))));
    const result = await adapter.chat(call({ reasoning_effort: 'medium', response_format: { type: 'json_object' } }, { upstreamModel: 'qwen3:8b' }));
    expect(fake.requests.at(-1)?.json).toMatchObject({ think: true, format: 'json' });
    expect(result.choices[0].message).toMatchObject({ content: '{"age": 22, "available": true}', reasoningContent: 'The user wants JSON with age and availability.' });
    expect(result.choices[0].finishReason).toEqual({ unified: 'length', raw: 'length' });
  });

  it('streams NDJSON thinking and text, then finish and usage from the done line', async () => {
    fake.setHandler((_request, response) => sendNdjson(response, ndjsonLines('stream-thinking.ndjson')));
    const parts = await collect(await adapter.chatStream(call({ stream: true, user: 'u-1' })));
    expect(fake.requests.at(-1)?.json).toMatchObject({ stream: true });
    expect(parts[0]).toMatchObject({ type: 'response-metadata', id: 'chatcmpl-req-1', model: 'deepseek-r1:8b' });
    expect(parts[1]).toEqual({ type: 'warning', message: 'ollama does not support user; it was not sent' });
    expect(parts.flatMap((part) => (part.type === 'reasoning-delta' ? [part.delta] : [])).join('')).toBe('Count the letters.');
    expect(parts.flatMap((part) => (part.type === 'text-delta' ? [part.delta] : [])).join('')).toBe("There are 3 r's.");
    expect(parts.at(-2)).toEqual({ type: 'finish', index: 0, finishReason: { unified: 'stop', raw: 'stop' } });
    expect(parts.at(-1)).toMatchObject({ type: 'usage', usage: { inputTokens: { total: 12 }, outputTokens: { total: 31 }, raw: { eval_count: 31 } } });
  });

  it('streams whole tool calls as one delta each and finishes with tool_calls', async () => {
    fake.setHandler((_request, response) => sendNdjson(response, ndjsonLines('stream-tool-call.ndjson')));
    const parts = await collect(await adapter.chatStream(call({ stream: true, tools: [{ type: 'function', function: { name: 'get_weather' } }] })));
    const calls = parts.filter((part) => part.type === 'tool-call-delta');
    expect(calls).toEqual([
      { type: 'tool-call-delta', index: 0, toolCallIndex: 0, id: expect.stringMatching(/^call_/), name: 'get_weather', argumentsDelta: '{"city":"Tokyo"}' },
      { type: 'tool-call-delta', index: 0, toolCallIndex: 1, id: 'call_k2x9w1', name: 'get_time', argumentsDelta: '{}' },
    ]);
    expect(parts.find((part) => part.type === 'finish')).toMatchObject({ finishReason: { unified: 'tool_calls', raw: 'stop' } });
  });

  it('maps HTTP errors and errors written into the stream', async () => {
    fake.setHandler((_request, response) => sendJson(response, 404, { error: 'model "llama9" not found, try pulling it first' }));
    await expect(adapter.chat(call({}))).rejects.toMatchObject({ code: 'not_found', status: 404, message: expect.stringContaining('try pulling it first') });

    const alias = new OllamaAdapter('ollama_chat');
    fake.setHandler((_request, response) => sendJson(response, 503, { error: 'server busy' }));
    await expect(alias.chatStream(call({ stream: true }))).rejects.toMatchObject({ code: 'upstream_unavailable', isRetryable: true, message: 'ollama_chat error: server busy' });

    const [first] = ndjsonLines('stream-thinking.ndjson');
    fake.setHandler((_request, response) => sendNdjson(response, [first, '{"error":"an error was encountered while running the model: unexpected EOF"}']));
    const parts = await collect(await adapter.chatStream(call({ stream: true })));
    expect(parts[0].type).toBe('response-metadata');
    expect(parts.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_error', message: expect.stringContaining('unexpected EOF') } });
  });

  it('refuses image links before calling, and strips /v1 from an OpenAI-style api_base', async () => {
    const before = fake.requests.length;
    await expect(
      adapter.chat(call({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }] })),
    ).rejects.toMatchObject({ code: 'invalid_request' });
    expect(fake.requests.length).toBe(before);

    fake.setHandler((_request, response) => sendJson(response, 200, JSON.parse(fixture('chat-thinking.json'))));
    await adapter.chat(call({}, { apiBase: `${fake.url}/v1/`, apiKey: undefined }));
    expect(fake.requests.at(-1)?.url).toBe('/api/chat');
    expect(fake.requests.at(-1)?.headers.authorization).toBeUndefined();
  });

  it('embeds through /api/embed', async () => {
    fake.setHandler((_request, response) => sendJson(response, 200, JSON.parse(fixture('embed.json'))));
    const result = await adapter.embed({
      request: { model: 'ollama/all-minilm', input: ['Why is the sky blue?', 'Why is the grass green?'] },
      deployment: { ...deployment(), upstreamModel: 'all-minilm' },
      signal: new AbortController().signal,
      requestId: 'req-2',
    });
    expect(fake.requests.at(-1)?.url).toBe('/api/embed');
    expect(fake.requests.at(-1)?.json).toEqual({ model: 'all-minilm', input: ['Why is the sky blue?', 'Why is the grass green?'], keep_alive: '10m' });
    expect(result.embeddings).toHaveLength(2);
    expect(result.usage.inputTokens).toBe(8);
  });
});

describe('OllamaAdapter registration', () => {
  it('is registered as ollama and ollama_chat', () => {
    const registry = createProviderRegistry();
    expect(registry.get('ollama')).toBeInstanceOf(OllamaAdapter);
    expect(registry.get('ollama')?.provider).toBe('ollama');
    expect(registry.get('ollama_chat')).toBeInstanceOf(OllamaAdapter);
    expect(registry.get('ollama_chat')?.provider).toBe('ollama_chat');
  });
});
