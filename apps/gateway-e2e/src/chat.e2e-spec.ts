import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation, fakeAnswer, startFakeOpenAiUpstream, startSystem, waitForUsageEvents } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';
import { fakeUpstreamConfig, upstreamKey } from './e2e-config';

describe('chat completions through the gateway and a worker (official openai client)', () => {
  let isolation: Isolation;
  let upstream: FakeServer;
  let system: RunningSystem;
  let client: OpenAI;

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startFakeOpenAiUpstream();
    system = await startSystem({
      isolation,
      config: fakeUpstreamConfig(upstream.url),
      workers: [{ providers: 'openai,mock', environment: { FAKE_UPSTREAM_KEY: upstreamKey } }],
    });
    client = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: system.masterKey, maxRetries: 0 });
  });

  afterAll(async () => {
    await system?.stop();
    await upstream?.close();
    await isolation?.cleanup();
  });

  it('answers a non-streamed request exactly as the upstream did, with the request id', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'fake-ok', messages: [{ role: 'user', content: 'Hi' }], temperature: 0.2 })
      .withResponse();
    expect(data.choices[0].message.content).toBe(fakeAnswer.join(''));
    expect(data.id).toBe('chatcmpl-fake123');
    expect(data.model).toBe('ok-2024-01-01');
    expect(data.choices[0].finish_reason).toBe('stop');
    expect(data.usage).toMatchObject({
      prompt_tokens: 11,
      completion_tokens: 7,
      total_tokens: 18,
      prompt_tokens_details: { cached_tokens: 3 },
      completion_tokens_details: { reasoning_tokens: 2 },
    });
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    const sent = upstream.requests.at(-1);
    expect(sent?.url).toBe('/v1/chat/completions');
    expect(sent?.headers.authorization).toBe(`Bearer ${upstreamKey}`);
    expect(sent?.json).toMatchObject({ model: 'ok', temperature: 0.2, messages: [{ role: 'user', content: 'Hi' }] });
  });

  it('streams chunks in OpenAI framing: role first, [DONE] last, usage chunk only when asked', async () => {
    const withoutUsage = await client.chat.completions.create({
      model: 'fake-ok',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
    });
    const chunks = [];
    for await (const chunk of withoutUsage) chunks.push(chunk);
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(fakeAnswer.join(''));
    expect(chunks.at(-1)?.choices[0].finish_reason).toBe('stop');
    expect(chunks.some((chunk) => chunk.usage)).toBe(false);
    // Usage was still requested upstream, for spend tracking.
    expect(upstream.requests.at(-1)?.json).toMatchObject({ stream: true, stream_options: { include_usage: true } });

    const withUsage = await client.chat.completions.create({
      model: 'fake-ok',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const usageChunks = [];
    for await (const chunk of withUsage) usageChunks.push(chunk);
    const last = usageChunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 });
    expect(usageChunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
  });

  it('ends the raw SSE body with exactly data: [DONE]', async () => {
    const response = await fetch(`${system.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${system.masterKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fake-ok', stream: true, messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const text = await response.text();
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    for (const frame of text.trim().split('\n\n')) expect(frame.startsWith('data: ')).toBe(true);
  });

  it('streams parallel tool calls with argument deltas', async () => {
    const stream = await client.chat.completions.create({
      model: 'fake-tools',
      messages: [{ role: 'user', content: 'Weather in Paris and Oslo?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
      stream: true,
    });
    const calls = new Map<number, { id?: string; name?: string; arguments: string }>();
    let finishReason: string | null = null;
    for await (const chunk of stream) {
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
        const current = calls.get(call.index) ?? { arguments: '' };
        current.id ??= call.id;
        current.name ??= call.function?.name;
        current.arguments += call.function?.arguments ?? '';
        calls.set(call.index, current);
      }
      finishReason = chunk.choices[0]?.finish_reason ?? finishReason;
    }
    expect(finishReason).toBe('tool_calls');
    expect(calls.get(0)).toEqual({ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' });
    expect(calls.get(1)).toEqual({ id: 'call_2', name: 'get_weather', arguments: '{"city":"Oslo"}' });
  });

  it('returns tool calls and reasoning content in non-streamed answers', async () => {
    const tools = await client.chat.completions.create({ model: 'fake-tools', messages: [{ role: 'user', content: 'x' }] });
    expect(tools.choices[0].finish_reason).toBe('tool_calls');
    expect(tools.choices[0].message.tool_calls?.map((call) => call.id)).toEqual(['call_1', 'call_2']);
    const stream = await client.chat.completions.create({ model: 'fake-reasoning', messages: [{ role: 'user', content: 'x' }], stream: true });
    let reasoning = '';
    for await (const chunk of stream) reasoning += (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? '';
    expect(reasoning).toBe('Thinking it over.');
  });

  it('answers from the built-in mock provider with no API key at all, streaming and not', async () => {
    const answer = await client.chat.completions.create({ model: 'mock-gpt', messages: [{ role: 'user', content: 'Hi' }] });
    expect(answer.choices[0].message.content).toContain('mock provider');
    expect(answer.usage?.completion_tokens).toBeGreaterThan(0);
    const custom = await client.chat.completions.create({
      model: 'mock-gpt',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      // LiteLLM's mock_response field
      ...({ mock_response: 'Exactly this.' } as object),
    });
    let text = '';
    for await (const chunk of custom) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Exactly this.');
  });

  it('lists the configured models in the OpenAI list shape', async () => {
    const models = await client.models.list();
    const ids = models.data.map((model) => model.id);
    expect(ids).toContain('fake-ok');
    expect(ids).toContain('mock-gpt');
    expect(models.data[0]).toMatchObject({ object: 'model' });
  });

  it('creates embeddings through the worker', async () => {
    const result = await client.embeddings.create({ model: 'fake-embedding', input: ['a', 'b'] });
    expect(result.data.map((item) => item.index)).toEqual([0, 1]);
    expect(result.data[1].embedding).toEqual([1, 0.5, -0.5]);
    expect(result.usage.prompt_tokens).toBe(6);
    const floats = await client.embeddings.create({ model: 'mock-embedding-floats', input: 'a', encoding_format: 'float' });
    expect(floats.data[0].embedding).toHaveLength(8);
    const decoded = await client.embeddings.create({ model: 'mock-embedding-floats', input: 'a' });
    expect(decoded.data[0].embedding.map((value) => Number(value.toFixed(5)))).toEqual(
      floats.data[0].embedding.map((value) => Number(value.toFixed(5))),
    );
  });

  it('publishes exactly one usage event per request, keyed by the request id', async () => {
    const { response } = await client.chat.completions
      .create({ model: 'fake-ok', messages: [{ role: 'user', content: 'count me' }] })
      .withResponse();
    const requestId = response.headers.get('x-request-id') ?? '';
    const events = await waitForUsageEvents(isolation, 1);
    const mine = events.filter((stored) => stored.event.requestId === requestId);
    expect(mine).toHaveLength(1);
    expect(mine[0].messageId).toBe(requestId);
    expect(mine[0].event).toMatchObject({
      status: 'success',
      provider: 'openai',
      modelGroup: 'fake-ok',
      usage: { inputTokens: { total: 11, cacheRead: 3, noCache: 8 }, outputTokens: { total: 7, reasoning: 2, text: 5 } },
    });
    const ids = events.map((stored) => stored.messageId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
