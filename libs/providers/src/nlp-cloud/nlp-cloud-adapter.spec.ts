import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendJson, startFakeServer } from '@switchboard/testing';
import type { FakeServer } from '@switchboard/testing';
import type { ChatRequest, ResolvedDeployment, StreamPart } from '@switchboard/spec';
import type { ServerResponse } from 'node:http';
import { createProviderRegistry } from '../provider-registry';
import { NlpCloudAdapter } from './nlp-cloud-adapter';

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const collected: StreamPart[] = [];
  for await (const part of parts) collected.push(part);
  return collected;
}

const text = (parts: StreamPart[]): string => parts.flatMap((part) => (part.type === 'text-delta' ? [part.delta] : [])).join('');

function sendChunks(response: ServerResponse, chunks: string[]): void {
  response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
  for (const chunk of chunks) response.write(chunk);
  response.end();
}

describe('NlpCloudAdapter (wire)', () => {
  let fake: FakeServer;
  const adapter = new NlpCloudAdapter();
  const deployment = (params: Record<string, unknown> = {}): ResolvedDeployment => ({
    id: 'd1',
    provider: 'nlp_cloud',
    upstreamModel: 'finetuned-llama-3-70b',
    apiBase: `${fake.url}/v1/gpu`,
    apiKey: 'test-key',
    timeoutMs: 10_000,
    params,
  });
  const conversation: ChatRequest['messages'] = [
    { role: 'system', content: 'You answer for a chain of stores.' },
    { role: 'user', content: 'Hello' },
    { role: 'assistant', content: 'Hello! How can I help you?' },
    { role: 'user', content: 'Is the Lyon store open on Saturday?' },
  ];
  const call = (request: Partial<ChatRequest> = {}, params: Record<string, unknown> = {}) => ({
    request: { model: 'nlp_cloud/x', messages: conversation, ...request },
    deployment: deployment(params),
    signal: new AbortController().signal,
    requestId: 'req-1',
  });

  beforeAll(async () => {
    fake = await startFakeServer((_request, response) => sendJson(response, 500, {}));
  });
  afterAll(async () => fake.close());
  beforeEach(() => {
    fake.requests.length = 0;
  });

  it('sends context, history and input to the chatbot endpoint with a Token header, and estimates usage', async () => {
    fake.setHandler((_request, response) => sendJson(response, 200, JSON.parse(fixture('chatbot-response.json'))));
    const result = await adapter.chat(call({ temperature: 0.3 }));
    const [sent] = fake.requests;
    expect(sent.url).toBe('/v1/gpu/finetuned-llama-3-70b/chatbot');
    expect(sent.headers.authorization).toBe('Token test-key');
    expect(sent.json).toEqual({
      input: 'Is the Lyon store open on Saturday?',
      context: 'You answer for a chain of stores.',
      history: [{ input: 'Hello', response: 'Hello! How can I help you?' }],
    });
    expect(result.warnings).toEqual(['nlp_cloud chatbot does not support temperature; it was not sent']);
    expect(result.choices[0]).toMatchObject({ message: { content: 'Yes, our Lyon store opens at 9 am on Saturdays.' }, finishReason: { unified: 'stop', raw: null } });
    // 102 characters sent (context, history, input joined by newlines) and 47 received, at four characters a token.
    expect(result.usage).toMatchObject({ inputTokens: { total: 26, noCache: 26 }, outputTokens: { total: 12 }, raw: { estimated: true } });
  });

  it('uses the generation endpoint with a transcript and its token counts when asked', async () => {
    fake.setHandler((_request, response) => sendJson(response, 200, JSON.parse(fixture('generation-response.json'))));
    const result = await adapter.chat(call({ max_tokens: 50, temperature: 0.7, top_p: 0.9, stop: ['\n\nUser:', '###'] }, { nlp_cloud_endpoint: 'generation' }));
    const [sent] = fake.requests;
    expect(sent.url).toBe('/v1/gpu/finetuned-llama-3-70b/generation');
    expect(sent.json).toEqual({
      text: 'System: You answer for a chain of stores.\n\nUser: Hello\n\nAssistant: Hello! How can I help you?\n\nUser: Is the Lyon store open on Saturday?\n\nAssistant:',
      length_no_input: true,
      remove_input: true,
      max_length: 50,
      temperature: 0.7,
      top_p: 0.9,
      end_sequence: '\n\nUser:',
      remove_end_sequence: true,
    });
    expect(result.warnings).toEqual(['nlp_cloud takes one end sequence; only the first stop sequence was sent']);
    expect(result.choices[0].message.content).toBe(' NLP Cloud serves models through a REST API.');
    expect(result.usage).toMatchObject({ inputTokens: { total: 24 }, outputTokens: { total: 11 }, raw: { nb_input_tokens: 24 } });
  });

  it('streams raw text chunks, dropping NUL separators and the [DONE] marker split across chunks', async () => {
    fake.setHandler((_request, response) => sendChunks(response, JSON.parse(fixture('stream-chunks.json')) as string[]));
    const parts = await collect(await adapter.chatStream(call({ stream: true, tools: [{ type: 'function', function: { name: 'f' } }] })));
    expect(fake.requests[0].json).toMatchObject({ stream: true, input: 'Is the Lyon store open on Saturday?' });
    expect(parts[0]).toMatchObject({ type: 'response-metadata', id: 'chatcmpl-req-1', model: 'finetuned-llama-3-70b' });
    expect(parts[1]).toEqual({ type: 'warning', message: 'nlp_cloud does not support tools; it was not sent' });
    expect(text(parts)).toBe('Yes, our Lyon store opens at 9 am.');
    expect(parts.at(-2)).toEqual({ type: 'finish', index: 0, finishReason: { unified: 'stop', raw: null } });
    expect(parts.at(-1)).toMatchObject({ type: 'usage', usage: { outputTokens: { total: 9 }, raw: { estimated: true } } });
  });

  it('keeps a text that merely starts like the marker', async () => {
    fake.setHandler((_request, response) => sendChunks(response, ['Use ', '[D', 'ATA] here']));
    const parts = await collect(await adapter.chatStream(call({ stream: true })));
    expect(text(parts)).toBe('Use [DATA] here');
  });

  it('maps HTTP errors with their detail', async () => {
    fake.setHandler((_request, response) => sendJson(response, 401, { detail: 'Invalid token.' }));
    await expect(adapter.chat(call())).rejects.toMatchObject({ code: 'authentication', isRetryable: false, message: 'nlp_cloud error: Invalid token.' });

    fake.setHandler((_request, response) => sendJson(response, 429, { detail: 'Too many requests' }, { 'retry-after': '7' }));
    await expect(adapter.chatStream(call({ stream: true }))).rejects.toMatchObject({ code: 'rate_limited', isRetryable: true, retryAfterSeconds: 7 });

    fake.setHandler((_request, response) => sendJson(response, 422, { detail: [{ msg: 'field required', loc: ['body', 'input'] }] }));
    await expect(adapter.chat(call())).rejects.toMatchObject({ code: 'invalid_request', status: 422, message: 'nlp_cloud error: field required' });
  });
});

describe('NlpCloudAdapter registration', () => {
  it('is registered as nlp_cloud', () => {
    expect(createProviderRegistry().get('nlp_cloud')).toBeInstanceOf(NlpCloudAdapter);
  });
});
