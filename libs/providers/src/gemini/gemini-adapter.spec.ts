import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGeminiUpstream } from '@switchboard/testing';
import type { FakeServer } from '@switchboard/testing';
import type { ChatRequest, ResolvedDeployment, StreamPart } from '@switchboard/spec';
import { GeminiAdapter } from './gemini-adapter';
import { toGeminiSchema } from './convert-to-gemini-request';
import { mapGeminiFinishReason } from './map-gemini-finish-reason';

describe('the Gemini adapter against a fake Gemini API', () => {
  let upstream: FakeServer;
  const adapter = new GeminiAdapter();
  const call = (request: Partial<ChatRequest>, model = 'gemini-ok') => ({
    request: { model: 'group', messages: [{ role: 'user' as const, content: 'Hi' }], ...request } as ChatRequest,
    deployment: { id: 'd1', provider: 'gemini', upstreamModel: model, apiBase: upstream.url, apiKey: 'AIzaSyTestKey000000000000000', timeoutMs: 10_000, params: {} } as ResolvedDeployment,
    signal: new AbortController().signal,
    requestId: 'req_1',
  });

  beforeAll(async () => {
    upstream = await startFakeGeminiUpstream();
  });

  afterAll(async () => {
    await upstream.close();
  });

  it('sends the key in x-goog-api-key, never in the URL, with contents, tools and generation config', async () => {
    await adapter.chat(
      call({
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Weather?' },
          { role: 'assistant', content: null, tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
          { role: 'tool', tool_call_id: 'call_9', content: 'Sunny' },
        ],
        tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', additionalProperties: false, properties: { city: { type: 'string' } } } } }],
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
        max_tokens: 50,
        temperature: 0.2,
      }),
    );
    const sent = upstream.requests.at(-1);
    expect(sent?.url).toBe('/v1beta/models/gemini-ok:generateContent');
    expect(sent?.url).not.toContain('AIza');
    expect(sent?.headers['x-goog-api-key']).toBe('AIzaSyTestKey000000000000000');
    expect(sent?.json).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Weather?' }] },
        { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { content: 'Sunny' } } }] },
      ],
      generationConfig: { temperature: 0.2, maxOutputTokens: 50 },
      tools: [{ functionDeclarations: [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }] }],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } },
    });
  });

  it('reads text, thoughts as reasoning, and usage with cached and thought tokens', async () => {
    const result = await adapter.chat(call({}, 'gemini-thinking'));
    expect(result.choices[0].message).toMatchObject({ content: 'Hello from Gemini.', reasoningContent: 'Considering.' });
    expect(result.usage).toMatchObject({ inputTokens: { total: 14, cacheRead: 4, noCache: 10 }, outputTokens: { total: 10, reasoning: 4, text: 6 } });
  });

  it('streams text and function calls with stable ids, and usage at the end', async () => {
    const collect = async (model: string) => {
      const parts: StreamPart[] = [];
      for await (const part of await adapter.chatStream(call({ stream: true }, model))) parts.push(part);
      return parts;
    };
    const text = await collect('gemini-ok');
    expect(upstream.requests.at(-1)?.url).toBe('/v1beta/models/gemini-ok:streamGenerateContent?alt=sse');
    expect(text.filter((part) => part.type === 'text-delta').map((part) => (part.type === 'text-delta' ? part.delta : '')).join('')).toBe('Hello from Gemini.');
    expect(text.at(-1)).toMatchObject({ type: 'usage', usage: { inputTokens: { total: 14 }, outputTokens: { total: 10 } } });
    const tools = await collect('gemini-tools');
    expect(tools.find((part) => part.type === 'tool-call-delta')).toMatchObject({ id: 'call_req_1_0', name: 'get_weather', argumentsDelta: '{"city":"Paris"}' });
    expect(tools.find((part) => part.type === 'finish')).toMatchObject({ finishReason: { unified: 'tool_calls', raw: 'STOP' } });
  });

  it('maps a blocked prompt to content_policy and RESOURCE_EXHAUSTED to a 429 with retry-after', async () => {
    await expect(adapter.chat(call({}, 'gemini-blocked'))).rejects.toMatchObject({ code: 'content_policy' });
    await expect(adapter.chat(call({}, 'gemini-limited'))).rejects.toMatchObject({ code: 'rate_limited', status: 429, retryAfterSeconds: 3 });
  });

  it('embeds through batchEmbedContents', async () => {
    const result = await adapter.embed({ ...call({}), request: { model: 'e', input: ['a', 'b'], dimensions: 2 }, deployment: { ...call({}).deployment, upstreamModel: 'text-embedding-004' } });
    expect(result.embeddings).toEqual([[0, 0.25], [1, 0.25]]);
    expect((upstream.requests.at(-1)?.json as { requests: Array<{ outputDimensionality: number }> }).requests[0].outputDimensionality).toBe(2);
  });

  it('drops JSON Schema keywords Gemini rejects', () => {
    expect(toGeminiSchema({ $schema: 'x', type: 'object', additionalProperties: false, properties: { a: { type: 'string', examples: ['x'] } } })).toEqual({ type: 'object', properties: { a: { type: 'string' } } });
  });

  it.each([
    ['STOP', false, 'stop'],
    ['MAX_TOKENS', false, 'length'],
    ['SAFETY', false, 'content_filter'],
    ['RECITATION', false, 'content_filter'],
    ['STOP', true, 'tool_calls'],
    ['MALFORMED_FUNCTION_CALL', false, 'other'],
  ] as const)('maps %s (tool calls: %s) to %s', (raw, tools, unified) => {
    expect(mapGeminiFinishReason(raw, tools).unified).toBe(unified);
  });
});
