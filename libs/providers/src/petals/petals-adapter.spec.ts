import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendJson, startFakeServer } from '@switchboard/testing';
import type { FakeServer } from '@switchboard/testing';
import type { ChatRequest, ResolvedDeployment, StreamPart } from '@switchboard/spec';
import { createProviderRegistry } from '../provider-registry';
import { PetalsAdapter } from './petals-adapter';
import { petalsTracebackError } from './petals-error';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const collected: StreamPart[] = [];
  for await (const part of parts) collected.push(part);
  return collected;
}

describe('PetalsAdapter (wire)', () => {
  let fake: FakeServer;
  const adapter = new PetalsAdapter();
  const deployment = (params: Record<string, unknown> = {}): ResolvedDeployment => ({
    id: 'd1',
    provider: 'petals',
    upstreamModel: 'petals-team/StableBeluga2',
    apiBase: fake.url,
    timeoutMs: 10_000,
    params,
  });
  const call = (request: Partial<ChatRequest> = {}, params: Record<string, unknown> = {}) => ({
    request: {
      model: 'petals/x',
      messages: [
        { role: 'system' as const, content: 'You are concise.' },
        { role: 'user' as const, content: 'What is Petals?' },
      ],
      ...request,
    },
    deployment: deployment(params),
    signal: new AbortController().signal,
    requestId: 'req-1',
  });
  const sentForm = () => Object.fromEntries(new URLSearchParams(fake.requests.at(-1)?.body ?? ''));

  beforeAll(async () => {
    fake = await startFakeServer((_request, response) => sendJson(response, 200, fixture('generate-ok.json')));
  });
  afterAll(async () => fake.close());
  beforeEach(() => {
    fake.setHandler((_request, response) => sendJson(response, 200, fixture('generate-ok.json')));
  });

  it('posts a form with the transcript and sampling fields, and cuts the output at the turn stop', async () => {
    const result = await adapter.chat(call({ max_tokens: 40, temperature: 0.6, top_p: 0.9, tools: [{ type: 'function', function: { name: 'f' } }] }));
    const sent = fake.requests.at(-1);
    expect(sent?.url).toBe('/api/v1/generate');
    expect(sent?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(sent?.headers.authorization).toBeUndefined();
    expect(sentForm()).toEqual({
      model: 'petals-team/StableBeluga2',
      inputs: 'System: You are concise.\n\nUser: What is Petals?\n\nAssistant:',
      max_new_tokens: '40',
      do_sample: '1',
      temperature: '0.6',
      top_p: '0.9',
    });
    expect(result.warnings).toEqual(['petals does not support tools; it was not sent']);
    expect(result.choices[0]).toMatchObject({
      message: { content: 'Petals runs large language models collaboratively, BitTorrent-style.' },
      finishReason: { unified: 'stop', raw: 'stop_sequence' },
    });
    expect(result.usage).toMatchObject({ inputTokens: { total: 15 }, outputTokens: { total: 17 }, raw: { estimated: true } });
  });

  it('runs greedy generation at temperature 0, with the configured default length, and applies stops itself', async () => {
    fake.setHandler((_request, response) => sendJson(response, 200, { ok: true, outputs: ' A swarm. ### Next' }));
    const result = await adapter.chat(call({ temperature: 0, stop: '###' }, { petals_max_new_tokens: 64 }));
    expect(sentForm()).toEqual({ model: 'petals-team/StableBeluga2', inputs: 'System: You are concise.\n\nUser: What is Petals?\n\nAssistant:', max_new_tokens: '64' });
    expect(result.choices[0]).toMatchObject({ message: { content: 'A swarm.' }, finishReason: { unified: 'stop', raw: 'stop_sequence' } });
  });

  it('emulates a stream with the whole answer as one delta', async () => {
    const parts = await collect(await adapter.chatStream(call({ stream: true, seed: 1 })));
    expect(parts).toEqual([
      { type: 'response-metadata', id: 'chatcmpl-req-1', model: 'petals-team/StableBeluga2', created: expect.any(Number) },
      { type: 'warning', message: 'petals does not support seed; it was not sent' },
      { type: 'text-delta', index: 0, delta: 'Petals runs large language models collaboratively, BitTorrent-style.' },
      { type: 'finish', index: 0, finishReason: { unified: 'stop', raw: 'stop_sequence' } },
      { type: 'usage', usage: expect.objectContaining({ raw: { estimated: true } }) },
    ]);
  });

  it('rejects before streaming when the backend reports a traceback or an HTTP error', async () => {
    fake.setHandler((_request, response) => sendJson(response, 200, fixture('generate-traceback.json')));
    await expect(adapter.chatStream(call({ stream: true }))).rejects.toMatchObject({ code: 'model_not_found', status: 404, isRetryable: false });

    fake.setHandler((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html><body>502 Bad Gateway</body></html>');
    });
    await expect(adapter.chat(call())).rejects.toMatchObject({ code: 'upstream_error', status: 502, isRetryable: true, message: 'petals returned HTTP 502' });
  });
});

describe('petalsTracebackError', () => {
  it.each([
    ["KeyError: 'tiiuae/falcon-7b'", 'model_not_found', 404],
    ['ValueError: We do not provide public API for tiiuae/falcon-180B-chat due to license restrictions', 'invalid_request', 400],
    ['hivemind.p2p.P2PDaemonError: Daemon failed to start', 'upstream_error', 502],
    ['', 'upstream_error', 502],
  ])('%s -> %s', (lastLine, code, status) => {
    expect(petalsTracebackError(`Traceback (most recent call last):\n  File "x.py", line 1\n${lastLine}\n`)).toMatchObject({ code, status });
  });
});

describe('PetalsAdapter registration', () => {
  it('is registered as petals', () => {
    expect(createProviderRegistry().get('petals')).toBeInstanceOf(PetalsAdapter);
  });
});
