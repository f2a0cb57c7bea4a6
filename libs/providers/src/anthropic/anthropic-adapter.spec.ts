import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropicUpstream } from '@switchboard/testing';
import type { FakeServer } from '@switchboard/testing';
import type { ChatRequest, ResolvedDeployment, StreamPart } from '@switchboard/spec';
import { AnthropicAdapter } from './anthropic-adapter';
import { convertToAnthropicRequest } from './convert-to-anthropic-request';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason';

describe('the Anthropic adapter against a fake Messages API', () => {
  let upstream: FakeServer;
  const adapter = new AnthropicAdapter();
  const deployment = (model: string): ResolvedDeployment => ({ id: 'd1', provider: 'anthropic', upstreamModel: model, apiBase: upstream.url, apiKey: 'sk-ant-test-key', timeoutMs: 10_000, params: {} });
  const call = (request: Partial<ChatRequest>, model = 'claude-ok') => ({
    request: { model: 'group', messages: [{ role: 'user' as const, content: 'Hi' }], ...request } as ChatRequest,
    deployment: deployment(model),
    signal: new AbortController().signal,
    requestId: 'req_1',
  });

  beforeAll(async () => {
    upstream = await startFakeAnthropicUpstream();
  });

  afterAll(async () => {
    await upstream.close();
  });

  it('sends the documented request: x-api-key, anthropic-version, system, turns, tools, max_tokens', async () => {
    await adapter.chat(
      call({
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'Cached system.', cache_control: { type: 'ephemeral' } }] },
          { role: 'user', content: 'Weather?' },
          { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
          { role: 'tool', tool_call_id: 'toolu_1', content: 'Sunny' },
        ],
        tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
        tool_choice: 'required',
        stop: 'END',
        temperature: 0.5,
      }),
    );
    const sent = upstream.requests.at(-1);
    expect(sent?.url).toBe('/v1/messages');
    expect(sent?.headers['x-api-key']).toBe('sk-ant-test-key');
    expect(sent?.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent?.headers.authorization).toBeUndefined();
    expect(sent?.json).toEqual({
      model: 'claude-ok',
      max_tokens: 4096,
      system: [{ type: 'text', text: 'Cached system.', cache_control: { type: 'ephemeral' } }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Sunny' }] },
      ],
      stop_sequences: ['END'],
      temperature: 0.5,
      tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
      tool_choice: { type: 'any' },
    });
  });

  it('reads text, thinking and cache usage from a response', async () => {
    const result = await adapter.chat(call({}, 'claude-thinking'));
    expect(result.choices[0].message).toMatchObject({ content: 'Hello from Claude.', reasoningContent: 'Let me think.' });
    expect(result.usage).toMatchObject({ inputTokens: { total: 35, noCache: 20, cacheRead: 10, cacheWrite: 5 }, outputTokens: { total: 12 } });
  });

  it('streams thinking with its signature, text, tool use and usage', async () => {
    const collect = async (model: string) => {
      const parts: StreamPart[] = [];
      for await (const part of await adapter.chatStream(call({ stream: true }, model))) parts.push(part);
      return parts;
    };
    const thinking = await collect('claude-thinking');
    expect(thinking.filter((part) => part.type === 'reasoning-delta')).toEqual([
      { type: 'reasoning-delta', index: 0, delta: 'Let me think.' },
      { type: 'reasoning-delta', index: 0, delta: '', signature: 'sig-abc' },
    ]);
    expect(thinking.at(-1)).toMatchObject({ type: 'usage', usage: { inputTokens: { total: 35, cacheRead: 10, cacheWrite: 5 }, outputTokens: { total: 12 } } });
    const tools = await collect('claude-tools');
    expect(tools.filter((part) => part.type === 'tool-call-delta').map((part) => (part.type === 'tool-call-delta' ? part.argumentsDelta : ''))).toEqual(['', '{"city":', '"Paris"}']);
    expect(tools.find((part) => part.type === 'finish')).toMatchObject({ finishReason: { unified: 'tool_calls', raw: 'tool_use' } });
  });

  it('maps 529 overloaded to a retryable 503 and an in-stream error event to an error part', async () => {
    await expect(adapter.chat(call({}, 'claude-overloaded'))).rejects.toMatchObject({ code: 'upstream_unavailable', status: 503, isRetryable: true });
    const parts: StreamPart[] = [];
    for await (const part of await adapter.chatStream(call({ stream: true }, 'claude-stream-error'))) parts.push(part);
    expect(parts.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_unavailable' } });
  });

  it('carries json_schema through a forced tool and hands the JSON back as text', async () => {
    const converted = convertToAnthropicRequest(
      { model: 'm', messages: [{ role: 'user', content: 'x' }], response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' } } } },
      'claude',
      false,
    );
    expect(converted.jsonMode).toBe(true);
    expect(converted.body.tool_choice).toEqual({ type: 'tool', name: 'json_tool_call' });
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['pause_turn', 'other'],
  ])('maps stop reason %s to %s', (raw, unified) => {
    expect(mapAnthropicFinishReason(raw)).toEqual({ unified, raw });
  });
});
