import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation, fakeAnswer, startFakeOpenAiUpstream, startSystem, waitForUsageEvent } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';
import { fakeUpstreamConfig, upstreamKey } from './e2e-config';

describe('the Anthropic Messages API over any provider (official @anthropic-ai/sdk)', () => {
  let isolation: Isolation;
  let upstream: FakeServer;
  let system: RunningSystem;
  let client: Anthropic;

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startFakeOpenAiUpstream();
    system = await startSystem({
      isolation,
      config: fakeUpstreamConfig(upstream.url),
      workers: [{ providers: 'openai,mock', environment: { FAKE_UPSTREAM_KEY: upstreamKey } }],
    });
    client = new Anthropic({ baseURL: system.baseUrl, apiKey: system.masterKey, maxRetries: 0 });
  });

  afterAll(async () => {
    await system?.stop();
    await upstream?.close();
    await isolation?.cleanup();
  });

  it('messages.create answers in Anthropic shape from an OpenAI-compatible upstream', async () => {
    const message = await client.messages.create({
      model: 'fake-ok',
      max_tokens: 100,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(message.type).toBe('message');
    expect(message.content).toEqual([{ type: 'text', text: fakeAnswer.join('') }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toMatchObject({ input_tokens: 8, output_tokens: 7, cache_read_input_tokens: 3 });
    const sent = upstream.requests.at(-1)?.json as { messages: unknown[]; max_tokens: number };
    expect(sent.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
    ]);
    expect(sent.max_tokens).toBe(100);
  });

  it('messages.stream delivers text with event: lines the SDK understands', async () => {
    const stream = client.messages.stream({ model: 'fake-ok', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] });
    let text = '';
    stream.on('text', (delta) => {
      text += delta;
    });
    const final = await stream.finalMessage();
    expect(text).toBe(fakeAnswer.join(''));
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage.output_tokens).toBe(7);
  });

  it('round-trips tool use: tool_use blocks out, tool_result back in', async () => {
    const tools = [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } }];
    const first = await client.messages.stream({ model: 'fake-tools', max_tokens: 100, tools, messages: [{ role: 'user', content: 'Weather?' }] }).finalMessage();
    expect(first.stop_reason).toBe('tool_use');
    const uses = first.content.filter((block) => block.type === 'tool_use');
    expect(uses).toEqual([
      { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'call_2', name: 'get_weather', input: { city: 'Oslo' } },
    ]);
    await client.messages.create({
      model: 'fake-ok',
      max_tokens: 100,
      tools,
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: 'Sunny' }] },
      ],
    });
    const sent = upstream.requests.at(-1)?.json as { messages: Array<Record<string, unknown>>; tools: unknown[] };
    expect(sent.messages[1]).toMatchObject({
      role: 'assistant',
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }, { id: 'call_2' }],
    });
    expect(sent.messages[2]).toEqual({ role: 'tool', tool_call_id: 'call_1', content: 'Sunny' });
    expect(sent.tools).toEqual([{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: tools[0].input_schema } }]);
  });

  it('streams reasoning as a thinking block', async () => {
    const final = await client.messages
      .stream({ model: 'fake-reasoning', max_tokens: 100, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'Hi' }] })
      .finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'thinking', thinking: 'Thinking it over.' });
    expect(final.content[1]).toMatchObject({ type: 'text', text: fakeAnswer.join('') });
  });

  it('counts tokens', async () => {
    const counted = await client.messages.countTokens({ model: 'fake-ok', messages: [{ role: 'user', content: 'Hello there, how are you?' }] });
    expect(counted.input_tokens).toBeGreaterThan(0);
  });

  it('errors come in Anthropic shape with the SDK error classes and request-id', async () => {
    const wrong = new Anthropic({ baseURL: system.baseUrl, apiKey: 'sk-wrong', maxRetries: 0 });
    const auth = await wrong.messages.create({ model: 'fake-ok', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((error: unknown) => error);
    expect(auth).toBeInstanceOf(Anthropic.AuthenticationError);
    const limited = await client.messages.create({ model: 'fake-status-429', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    expect((limited as InstanceType<typeof Anthropic.RateLimitError>).requestID).toMatch(/^req_/);
    const response = await fetch(`${system.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': system.masterKey, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fake-ok', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('max_tokens') } });
  });

  it('records one usage event for a Messages call', async () => {
    const { response } = await client.messages.create({ model: 'fake-ok', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).withResponse();
    const event = await waitForUsageEvent(isolation, response.headers.get('request-id') ?? '');
    expect(event).toMatchObject({ status: 'success', modelGroup: 'fake-ok', usage: { inputTokens: { cacheRead: 3 } } });
  });
});
