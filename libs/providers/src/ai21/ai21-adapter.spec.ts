import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson, sendSse, startFakeServer } from '@switchboard/testing';
import type { FakeServer } from '@switchboard/testing';
import type { ChatRequest, ResolvedDeployment, StreamPart } from '@switchboard/spec';
import { createProviderRegistry } from '../provider-registry';
import { Ai21Adapter } from './ai21-adapter';

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

describe('Ai21Adapter (wire)', () => {
  let fake: FakeServer;
  const adapter = new Ai21Adapter();
  const deployment = (): ResolvedDeployment => ({
    id: 'd1',
    provider: 'ai21',
    upstreamModel: 'jamba-large',
    apiBase: `${fake.url}/studio/v1`,
    apiKey: 'test-key',
    timeoutMs: 10_000,
    params: {},
  });
  const call = (request: Partial<ChatRequest>) => ({
    request: { model: 'ai21/jamba-large', messages: [{ role: 'user' as const, content: 'Hi' }], ...request },
    deployment: deployment(),
    signal: new AbortController().signal,
    requestId: 'req-1',
  });

  beforeAll(async () => {
    fake = await startFakeServer((_request, response) => sendJson(response, 500, {}));
  });
  afterAll(async () => fake.close());

  it('sends string contents, documented fields only and plain tools, and reads a tool call with usage', async () => {
    fake.setHandler((_request, response) => sendJson(response, 200, JSON.parse(fixture('chat-tool-call.json'))));
    const result = await adapter.chat(
      call({
        messages: [
          { role: 'developer', content: 'You are a support agent.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'When does order ORD-48213 arrive?' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            ],
          },
          { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{}' } }] },
          { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: 'found' }] },
        ],
        tools: [{ type: 'function', function: { name: 'get_order_delivery_date', description: 'Delivery date', parameters: { type: 'object' }, strict: true } }],
        tool_choice: 'required',
        seed: 7,
        max_completion_tokens: 200,
        stop: 'END',
        documents: [{ content: 'Orders ship in 3 days.' }],
      }),
    );

    const sent = fake.requests.at(-1);
    expect(sent?.url).toBe('/studio/v1/chat/completions');
    expect(sent?.headers.authorization).toBe('Bearer test-key');
    expect(sent?.json).toEqual({
      model: 'jamba-large',
      messages: [
        { role: 'system', content: 'You are a support agent.' },
        { role: 'user', content: 'When does order ORD-48213 arrive?' },
        { role: 'assistant', content: '', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{}' } }] },
        { role: 'tool', content: 'found', tool_call_id: 'call_1' },
      ],
      tools: [{ type: 'function', function: { name: 'get_order_delivery_date', description: 'Delivery date', parameters: { type: 'object' } } }],
      max_tokens: 200,
      stop: ['END'],
      documents: [{ content: 'Orders ship in 3 days.' }],
    });
    expect(result.warnings).toEqual([
      'ai21 Jamba models read text only; 1 non-text content part(s) were not sent',
      'ai21 does not support tool_choice; it was not sent',
      'ai21 does not support seed; it was not sent',
    ]);
    expect(result.choices[0]).toMatchObject({
      message: { toolCalls: [{ id: 'call_62136354', function: { name: 'get_order_delivery_date', arguments: '{"order_id": "ORD-48213"}' } }] },
      finishReason: { unified: 'tool_calls', raw: 'tool_calls' },
    });
    expect(result.usage).toMatchObject({ inputTokens: { total: 219, noCache: 219 }, outputTokens: { total: 27, text: 27 }, raw: { total_tokens: 246 } });
  });

  it('sends json_schema as json_object with a warning', async () => {
    fake.setHandler((_request, response) => sendJson(response, 200, JSON.parse(fixture('chat-tool-call.json'))));
    const result = await adapter.chat(call({ response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' } } } }));
    expect(fake.requests.at(-1)?.json).toMatchObject({ response_format: { type: 'json_object' } });
    expect(result.warnings?.[0]).toContain('json_schema was sent as json_object');
  });

  it('streams text with the usage of the last chunk and no stream_options, warnings after the metadata', async () => {
    fake.setHandler((_request, response) => sendSse(response, sseFrames('stream-text.jsonl')));
    const parts = await collect(await adapter.chatStream(call({ stream: true, stream_options: { include_usage: true }, user: 'u-1' })));
    const sent = fake.requests.at(-1)?.json as Record<string, unknown>;
    expect(sent).toMatchObject({ stream: true });
    expect(sent).not.toHaveProperty('stream_options');
    expect(sent).not.toHaveProperty('user');
    expect(parts[0]).toMatchObject({ type: 'response-metadata', id: 'chat-7d2c9a1e5b8f4e3a9c6d0b2f4a1e8c7d' });
    expect(parts[1]).toEqual({ type: 'warning', message: 'ai21 does not support user; it was not sent' });
    expect(parts.flatMap((part) => (part.type === 'text-delta' ? [part.delta] : [])).join('')).toBe('Jamba is a hybrid SSM-Transformer model.');
    expect(parts.find((part) => part.type === 'finish')).toEqual({ type: 'finish', index: 0, finishReason: { unified: 'stop', raw: 'stop' } });
    expect(parts.find((part) => part.type === 'usage')).toMatchObject({ usage: { inputTokens: { total: 31 }, outputTokens: { total: 11 } } });
  });

  it('maps HTTP errors before the stream and errors inside it', async () => {
    fake.setHandler((_request, response) => sendJson(response, 429, { detail: 'Too many requests' }, { 'retry-after': '4' }));
    await expect(adapter.chatStream(call({ stream: true }))).rejects.toMatchObject({ code: 'rate_limited', status: 429, isRetryable: true, retryAfterSeconds: 4 });

    fake.setHandler((_request, response) => sendJson(response, 401, { detail: 'Forbidden' }));
    await expect(adapter.chat(call({}))).rejects.toMatchObject({ code: 'authentication', isRetryable: false });

    const [first] = sseFrames('stream-text.jsonl');
    fake.setHandler((_request, response) => sendSse(response, [first, 'data: {"error":{"message":"Internal error","type":"server_error"}}\n\n']));
    const parts = await collect(await adapter.chatStream(call({ stream: true })));
    expect(parts[0].type).toBe('response-metadata');
    expect(parts.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_error', retryable: true } });
  });
});

describe('Ai21Adapter registration', () => {
  it('is registered as ai21', () => {
    expect(createProviderRegistry().get('ai21')).toBeInstanceOf(Ai21Adapter);
  });
});
