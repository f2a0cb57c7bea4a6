import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson, sendSse, startFakeServer } from '@switchboard/testing';
import type { FakeServer } from '@switchboard/testing';
import type { ChatRequest, ResolvedDeployment, StreamPart } from '@switchboard/spec';
import { createProviderRegistry } from '../provider-registry';
import { AlephAlphaAdapter } from './aleph-alpha-adapter';

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const sseFrames = (name: string, done = true): string[] => [
  ...fixture(name)
    .trim()
    .split('\n')
    .map((line) => `data: ${line}\n\n`),
  ...(done ? ['data: [DONE]\n\n'] : []),
];

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const collected: StreamPart[] = [];
  for await (const part of parts) collected.push(part);
  return collected;
}

const text = (parts: StreamPart[]): string => parts.flatMap((part) => (part.type === 'text-delta' ? [part.delta] : [])).join('');

describe('AlephAlphaAdapter (wire)', () => {
  let fake: FakeServer;
  const adapter = new AlephAlphaAdapter();
  const deployment = (params: Record<string, unknown> = {}): ResolvedDeployment => ({
    id: 'd1',
    provider: 'aleph_alpha',
    upstreamModel: 'llama-3.1-70b-instruct',
    apiBase: fake.url,
    apiKey: 'test-key',
    timeoutMs: 10_000,
    params,
  });
  const call = (request: Partial<ChatRequest>, params: Record<string, unknown> = {}) => ({
    request: { model: 'aleph_alpha/x', messages: [{ role: 'user' as const, content: 'Wo liegt Heidelberg?' }], ...request },
    deployment: deployment(params),
    signal: new AbortController().signal,
    requestId: 'req-1',
  });
  const complete = { aleph_alpha_endpoint: 'complete' };

  beforeAll(async () => {
    fake = await startFakeServer((_request, response) => sendJson(response, 500, {}));
  });
  afterAll(async () => fake.close());

  it('sends chat with one leading system message and alternating string turns, dropping tools with warnings', async () => {
    fake.setHandler((_request, response) => sendJson(response, 200, JSON.parse(fixture('chat-completion.json'))));
    const result = await adapter.chat(
      call({
        messages: [
          { role: 'user', content: 'Hallo' },
          { role: 'system', content: 'Antworte auf Deutsch.' },
          { role: 'user', content: [{ type: 'text', text: 'Wo liegt Heidelberg?' }] },
          { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'map', arguments: '{}' } }] },
          { role: 'tool', tool_call_id: 'c1', content: 'Baden-Württemberg' },
        ],
        tools: [{ type: 'function', function: { name: 'map' } }],
        max_completion_tokens: 50,
        temperature: 0,
      }),
    );
    const sent = fake.requests.at(-1);
    expect(sent?.url).toBe('/chat/completions');
    expect(sent?.headers.authorization).toBe('Bearer test-key');
    expect(sent?.json).toEqual({
      model: 'llama-3.1-70b-instruct',
      messages: [
        { role: 'system', content: 'Antworte auf Deutsch.' },
        { role: 'user', content: 'Hallo\n\nWo liegt Heidelberg?\n\nTool result: Baden-Württemberg' },
      ],
      max_tokens: 50,
      temperature: 0,
    });
    expect(result.warnings).toEqual([
      'aleph_alpha has no tool calls; 1 earlier tool call(s) were not sent (their results were sent as user text)',
      'aleph_alpha does not support tools; it was not sent',
    ]);
    expect(result.choices[0]).toMatchObject({ message: { content: 'Heidelberg liegt am Neckar.' }, finishReason: { unified: 'stop', raw: 'stop' } });
    expect(result.usage).toMatchObject({ inputTokens: { total: 58 }, outputTokens: { total: 9 } });
  });

  it('streams chat with usage requested through stream_options', async () => {
    fake.setHandler((_request, response) => sendSse(response, sseFrames('chat-stream.jsonl')));
    const parts = await collect(await adapter.chatStream(call({ stream: true })));
    expect(fake.requests.at(-1)?.json).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(parts[0]).toMatchObject({ type: 'response-metadata', model: 'llama-3.1-8b-instruct' });
    expect(text(parts)).toBe('Zweiundvierzig.');
    expect(parts.find((part) => part.type === 'finish')).toMatchObject({ finishReason: { unified: 'length', raw: 'length' } });
    expect(parts.at(-1)).toMatchObject({ type: 'usage', usage: { inputTokens: { total: 40 }, outputTokens: { total: 4 } } });
  });

  it('uses /complete with a transcript prompt when the deployment asks for it', async () => {
    fake.setHandler((_request, response) => sendJson(response, 200, JSON.parse(fixture('complete.json'))));
    const result = await adapter.chat(
      call(
        {
          messages: [
            { role: 'system', content: 'Kurz antworten.' },
            { role: 'user', content: 'Hauptstadt von BW?' },
          ],
          max_tokens: 32,
          top_p: 0.9,
          stop: '###',
          response_format: { type: 'json_object' },
        },
        complete,
      ),
    );
    const sent = fake.requests.at(-1);
    expect(sent?.url).toBe('/complete');
    expect(sent?.json).toEqual({
      model: 'llama-3.1-70b-instruct',
      prompt: 'System: Kurz antworten.\n\nUser: Hauptstadt von BW?\n\nAssistant:',
      stop_sequences: ['###', '\n\nUser:'],
      maximum_tokens: 32,
      top_p: 0.9,
    });
    expect(result.warnings).toEqual(['aleph_alpha does not support response_format; it was not sent']);
    expect(result.choices[0]).toMatchObject({
      message: { content: 'Die Hauptstadt von Baden-Württemberg ist Stuttgart.' },
      finishReason: { unified: 'stop', raw: 'end_of_text' },
    });
    expect(result.usage).toMatchObject({ inputTokens: { total: 27, noCache: 27 }, outputTokens: { total: 12 }, raw: { num_tokens_generated: 12 } });
  });

  it('streams /complete chunks, the finish reason and the token counts', async () => {
    fake.setHandler((_request, response) => sendSse(response, sseFrames('complete-stream.jsonl', false)));
    const parts = await collect(await adapter.chatStream(call({ stream: true, seed: 1 }, complete)));
    expect(fake.requests.at(-1)?.json).toMatchObject({ stream: true });
    expect(parts[0]).toMatchObject({ type: 'response-metadata', id: 'chatcmpl-req-1' });
    expect(parts[1]).toEqual({ type: 'warning', message: 'aleph_alpha does not support seed; it was not sent' });
    expect(text(parts)).toBe('Stuttgart.');
    expect(parts.find((part) => part.type === 'finish')).toEqual({ type: 'finish', index: 0, finishReason: { unified: 'length', raw: 'maximum_tokens' } });
    expect(parts.at(-1)).toMatchObject({ type: 'usage', usage: { inputTokens: { total: 19 }, outputTokens: { total: 4 } } });
  });

  it('maps HTTP errors and errors inside a /complete stream', async () => {
    fake.setHandler((_request, response) => sendJson(response, 401, { error: 'Token invalid', code: 'UNAUTHENTICATED' }));
    await expect(adapter.chat(call({}, complete))).rejects.toMatchObject({ code: 'authentication', providerCode: 'UNAUTHENTICATED', isRetryable: false });

    fake.setHandler((_request, response) => sendJson(response, 503, { error: 'Busy', code: 'BUSY' }, { 'retry-after': '2' }));
    await expect(adapter.chatStream(call({ stream: true }))).rejects.toMatchObject({ code: 'upstream_unavailable', isRetryable: true, retryAfterSeconds: 2 });

    const [first] = sseFrames('complete-stream.jsonl', false);
    fake.setHandler((_request, response) => sendSse(response, [first, 'data: {"error":"Internal server error","code":"INTERNAL"}\n\n']));
    const parts = await collect(await adapter.chatStream(call({ stream: true }, complete)));
    expect(text(parts)).toBe('Stutt');
    expect(parts.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_error', retryable: true, providerCode: 'INTERNAL' } });
  });

  it('embeds each input with /semantic_embed and sums the prompt tokens', async () => {
    fake.setHandler((_request, response) => sendJson(response, 200, JSON.parse(fixture('semantic-embed.json'))));
    const result = await adapter.embed({
      request: { model: 'aleph_alpha/luminous-base', input: ['erste', 'zweite'], input_type: 'query', dimensions: 128 },
      deployment: { ...deployment(), upstreamModel: 'luminous-base' },
      signal: new AbortController().signal,
      requestId: 'req-2',
    });
    const sent = fake.requests.slice(-2);
    expect(sent.map((request) => request.url)).toEqual(['/semantic_embed', '/semantic_embed']);
    expect(sent.map((request) => request.json)).toEqual(
      expect.arrayContaining([
        { model: 'luminous-base', prompt: [{ type: 'text', data: 'erste' }], representation: 'query', compress_to_size: 128 },
        { model: 'luminous-base', prompt: [{ type: 'text', data: 'zweite' }], representation: 'query', compress_to_size: 128 },
      ]),
    );
    expect(result.embeddings).toEqual([
      [0.0213, -0.0871, 0.0442, 0.1127],
      [0.0213, -0.0871, 0.0442, 0.1127],
    ]);
    expect(result.usage.inputTokens).toBe(12);
  });
});

describe('AlephAlphaAdapter registration', () => {
  it('is registered as aleph_alpha', () => {
    expect(createProviderRegistry().get('aleph_alpha')).toBeInstanceOf(AlephAlphaAdapter);
  });
});
