import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBedrockUpstream, startFakeServer } from '@switchboard/testing';
import type { FakeServer } from '@switchboard/testing';
import type { ChatRequest, ResolvedDeployment, StreamPart } from '@switchboard/spec';
import { encodeEvent } from '../aws/aws-event-stream';
import { BedrockAdapter } from './bedrock-adapter';
import { mapBedrockFinishReason } from './map-bedrock-finish-reason';

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const signature = 'EqoBCkgIARABGAIiQKq3Yx0Jm3hJ0l1b3cT2k0aQn2f5d8k1Z7s9eGm4xq2Vw6n8p0r3t5u7y9A1C3E5G7I9K1M3O5Q7S9U1W3Y5a7c9';
const weatherTool = { type: 'function' as const, function: { name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };

describe('the Bedrock Converse adapter against a fake Bedrock Runtime', () => {
  let upstream: FakeServer;
  const adapter = new BedrockAdapter();
  const deployment = (model: string, params: Record<string, unknown> = {}): ResolvedDeployment => ({
    id: 'd1',
    provider: 'bedrock',
    upstreamModel: model,
    apiBase: upstream.url,
    timeoutMs: 10_000,
    params: { aws_access_key_id: 'AKIAEXAMPLE123456789', aws_secret_access_key: 'secret-key-example', aws_region_name: 'eu-central-1', ...params },
  });
  const call = (model: string, request: Partial<ChatRequest> = {}) => ({
    request: { model: 'group', messages: [{ role: 'system' as const, content: 'Be brief.' }, { role: 'user' as const, content: 'Hi' }], ...request } as ChatRequest,
    deployment: deployment(model),
    signal: new AbortController().signal,
    requestId: 'req_1',
  });

  beforeAll(async () => {
    upstream = await startFakeBedrockUpstream();
  });

  afterAll(async () => {
    await upstream.close();
  });

  it('signs with SigV4 and sends the Converse body', async () => {
    const result = await adapter.chat(call('anthropic.claude-3-5-sonnet-20240620-v1:0', { max_tokens: 64, temperature: 0.1 }));
    expect(result.choices[0].message.content).toBe('Hello from Bedrock.');
    expect(result.usage).toMatchObject({ inputTokens: { total: 36, cacheRead: 6, noCache: 30 }, outputTokens: { total: 9 } });
    const sent = upstream.requests.at(-1);
    expect(sent?.url).toBe('/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse');
    expect(sent?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE123456789\/\d{8}\/eu-central-1\/bedrock\/aws4_request, SignedHeaders=[^,]*host[^,]*x-amz-date/);
    expect(sent?.headers.authorization).not.toContain('secret-key-example');
    expect(sent?.json).toEqual({
      messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
      system: [{ text: 'Be brief.' }],
      inferenceConfig: { maxTokens: 64, temperature: 0.1 },
    });
  });

  it('returns the warnings of fields Converse does not take', async () => {
    const result = await adapter.chat(call('anthropic.claude-3-5-sonnet-20240620-v1:0', { seed: 7 }));
    expect(result.warnings).toEqual(['bedrock converse does not take seed; it was not sent']);
    expect((upstream.requests.at(-1)?.json as Record<string, unknown>).seed).toBeUndefined();
    const plain = await adapter.chat(call('anthropic.claude-3-5-sonnet-20240620-v1:0'));
    expect(plain.warnings).toBeUndefined();
  });

  it('marks cache_control on system, user text and tools with a cachePoint right after the marked block', async () => {
    await adapter.chat(
      call('anthropic.claude-sonnet-4-5-20250929-v1:0', {
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'Long policy.', cache_control: { type: 'ephemeral' } }, { type: 'text', text: 'Today is Monday.' }] },
          { role: 'user', content: [{ type: 'text', text: 'Long document.', cache_control: { type: 'ephemeral', ttl: '1h' } }, { type: 'text', text: 'Summarise it.' }] },
        ],
        tools: [{ ...weatherTool, cache_control: { type: 'ephemeral' } }],
      }),
    );
    expect(upstream.requests.at(-1)?.json).toEqual({
      system: [{ text: 'Long policy.' }, { cachePoint: { type: 'default' } }, { text: 'Today is Monday.' }],
      messages: [{ role: 'user', content: [{ text: 'Long document.' }, { cachePoint: { type: 'default', ttl: '1h' } }, { text: 'Summarise it.' }] }],
      toolConfig: { tools: [{ toolSpec: { name: 'get_weather', description: 'Weather of a city', inputSchema: { json: weatherTool.function.parameters } } }, { cachePoint: { type: 'default' } }], toolChoice: { auto: {} } },
    });
  });

  it('replays signed and redacted thinking as reasoningContent ahead of the text and tool use of the assistant turn', async () => {
    await adapter.chat(
      call('anthropic.claude-sonnet-4-5-20250929-v1:0', {
        thinking: { type: 'enabled', budget_tokens: 1024 },
        tools: [weatherTool],
        messages: [
          { role: 'user', content: 'Weather in Paris?' },
          {
            role: 'assistant',
            content: 'Let me check.',
            thinking_blocks: [{ type: 'thinking', thinking: 'I should call get_weather.', signature }, { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4a' }],
            tool_calls: [{ id: 'tooluse_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
          },
          { role: 'tool', tool_call_id: 'tooluse_1', content: '18°C, sunny' },
        ],
      }),
    );
    const sent = upstream.requests.at(-1)?.json as { messages: unknown[]; additionalModelRequestFields: unknown };
    expect(sent.messages).toEqual([
      { role: 'user', content: [{ text: 'Weather in Paris?' }] },
      {
        role: 'assistant',
        content: [
          { reasoningContent: { reasoningText: { text: 'I should call get_weather.', signature } } },
          { reasoningContent: { redactedContent: 'EmwKAhgBEgy3va3pzix/LafPsn4a' } },
          { text: 'Let me check.' },
          { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Paris' } } },
        ],
      },
      { role: 'user', content: [{ toolResult: { toolUseId: 'tooluse_1', content: [{ text: '18°C, sunny' }], status: 'success' } }] },
    ]);
    expect(sent.additionalModelRequestFields).toEqual({ thinking: { type: 'enabled', budget_tokens: 1024 } });
  });

  it('streams reasoning text and then its signature as reasoning deltas, before the text and the tool call', async () => {
    const events = fixture('converse-stream-thinking.jsonl')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { eventType: string; payload: unknown });
    const frames = events.map((event) => encodeEvent(event.eventType, event.payload));
    const stream = Buffer.concat(frames);
    // Cut inside the signature frame (the fourth): the reader must reassemble it before decoding.
    const cut = frames.slice(0, 3).reduce((total, frame) => total + frame.length, 0) + 40;
    const thinking = await startFakeServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
      response.write(stream.subarray(0, cut));
      response.end(stream.subarray(cut));
    });
    try {
      const parts: StreamPart[] = [];
      for await (const part of await adapter.chatStream({ ...call('anthropic.claude-sonnet-4-5-20250929-v1:0', { stream: true }), deployment: { ...deployment('anthropic.claude-sonnet-4-5-20250929-v1:0'), apiBase: thinking.url } })) parts.push(part);
      const reasoning = parts.filter((part) => part.type === 'reasoning-delta');
      expect(reasoning).toEqual([
        { type: 'reasoning-delta', index: 0, delta: 'The user wants the weather', signature: undefined },
        { type: 'reasoning-delta', index: 0, delta: ' in Paris; I should call get_weather.', signature: undefined },
        { type: 'reasoning-delta', index: 0, delta: '', signature },
      ]);
      expect(parts.findIndex((part) => part.type === 'reasoning-delta' && part.signature === signature)).toBeLessThan(parts.findIndex((part) => part.type === 'text-delta'));
      expect(parts.find((part) => part.type === 'tool-call-delta')).toMatchObject({ id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', name: 'get_weather' });
      expect(parts.at(-1)).toMatchObject({ type: 'usage', usage: { inputTokens: { total: 1948, cacheRead: 1536, noCache: 412 } } });
    } finally {
      await thinking.close();
    }
  });

  it('streams text and tool use from the AWS event-stream framing, split across reads', async () => {
    const collect = async (model: string) => {
      const parts: StreamPart[] = [];
      for await (const part of await adapter.chatStream(call(model, { stream: true }))) parts.push(part);
      return parts;
    };
    const text = await collect('meta.llama3-1-70b-instruct-v1:0');
    expect(text.filter((part) => part.type === 'text-delta').map((part) => (part.type === 'text-delta' ? part.delta : '')).join('')).toBe('Hello from Bedrock.');
    expect(text.at(-1)).toMatchObject({ type: 'usage', usage: { inputTokens: { total: 36 } } });
    const tools = await collect('converse/us.anthropic.claude-tools-v1:0');
    expect(upstream.requests.at(-1)?.url).toBe('/model/us.anthropic.claude-tools-v1%3A0/converse-stream');
    expect(tools.filter((part) => part.type === 'tool-call-delta').map((part) => (part.type === 'tool-call-delta' ? part.argumentsDelta : ''))).toEqual(['', '{"city":', '"Paris"}']);
    expect(tools.find((part) => part.type === 'finish')).toMatchObject({ finishReason: { unified: 'tool_calls', raw: 'tool_use' } });
  });

  it('maps ThrottlingException to 429 and an exception event to an error part', async () => {
    await expect(adapter.chat(call('throttled-model'))).rejects.toMatchObject({ code: 'rate_limited', status: 429, providerCode: 'ThrottlingException' });
    const parts: StreamPart[] = [];
    for await (const part of await adapter.chatStream(call('stream-exception-model', { stream: true }))) parts.push(part);
    expect(parts.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_error', providerCode: 'modelStreamErrorException' } });
  });

  it('uses a Bedrock API key as a bearer when no AWS keys are given', async () => {
    await adapter.chat({ ...call('amazon.nova-lite-v1:0'), deployment: { ...deployment('amazon.nova-lite-v1:0', { aws_access_key_id: undefined, aws_secret_access_key: undefined }), apiKey: 'bedrock-api-key' } });
    expect(upstream.requests.at(-1)?.headers.authorization).toBe('Bearer bedrock-api-key');
  });

  it.each([
    ['end_turn', 'stop'],
    ['max_tokens', 'length'],
    ['tool_use', 'tool_calls'],
    ['guardrail_intervened', 'content_filter'],
    ['content_filtered', 'content_filter'],
  ])('maps %s to %s', (raw, unified) => {
    expect(mapBedrockFinishReason(raw).unified).toBe(unified);
  });
});
