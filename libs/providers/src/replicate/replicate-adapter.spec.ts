import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { sendJson, sendSse, startFakeServer } from '@switchboard/testing';
import type { FakeServer } from '@switchboard/testing';
import type { ChatRequest, ResolvedDeployment, StreamPart } from '@switchboard/spec';
import { createProviderRegistry } from '../provider-registry';
import { ReplicateAdapter } from './replicate-adapter';
import { replicateCreateTarget } from './replicate-api';

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const collected: StreamPart[] = [];
  for await (const part of parts) collected.push(part);
  return collected;
}

const text = (parts: StreamPart[]): string => parts.flatMap((part) => (part.type === 'text-delta' ? [part.delta] : [])).join('');

describe('ReplicateAdapter (wire)', () => {
  let fake: FakeServer;
  const adapter = new ReplicateAdapter();
  /** A recorded prediction whose URLs point at the fake server. */
  const prediction = (name: string, changes: Record<string, unknown> = {}): Record<string, unknown> => ({
    ...(JSON.parse(fixture(name).replaceAll('https://api.replicate.com', fake.url).replaceAll('https://stream.replicate.com', fake.url)) as Record<string, unknown>),
    ...changes,
  });
  const deployment = (overrides: Partial<ResolvedDeployment> = {}, params: Record<string, unknown> = {}): ResolvedDeployment => ({
    id: 'd1',
    provider: 'replicate',
    upstreamModel: 'meta/meta-llama-3-70b-instruct',
    apiBase: fake.url,
    apiKey: 'test-key',
    timeoutMs: 10_000,
    params: { replicate_poll_interval_ms: 1, ...params },
    ...overrides,
  });
  const call = (request: Partial<ChatRequest> = {}, target: ResolvedDeployment = deployment(), signal = new AbortController().signal) => ({
    request: { model: 'replicate/x', messages: [{ role: 'user' as const, content: 'Write a haiku about llamas' }], ...request },
    deployment: target,
    signal,
    requestId: 'req-1',
  });
  const predictionUrl = '/v1/predictions/ufawqhfynnddngldkgtslldrkq';
  const streamUrl = '/v1/files/bcwr-3okdfv3o2wehstv5f2okyftwxy57hhypqsi6osiim5iigjskccjq';

  beforeAll(async () => {
    fake = await startFakeServer((_request, response) => sendJson(response, 500, {}));
  });
  afterAll(async () => fake.close());
  beforeEach(() => {
    fake.requests.length = 0;
  });

  it('creates with Prefer: wait, polls urls.get until it succeeds and reads the output and metrics', async () => {
    let polls = 0;
    fake.setHandler((request, response) => {
      if (request.method === 'POST') return sendJson(response, 201, prediction('prediction-starting.json'));
      polls += 1;
      sendJson(response, 200, prediction(polls < 2 ? 'prediction-processing.json' : 'prediction-succeeded.json'));
    });
    const result = await adapter.chat(
      call({
        messages: [
          { role: 'system', content: 'You are a poet.' },
          { role: 'user', content: 'Write a haiku about llamas' },
          { role: 'assistant', content: 'Which season?' },
          { role: 'user', content: [{ type: 'text', text: 'Spring.' }] },
        ],
        max_completion_tokens: 64,
        temperature: 0.6,
        top_p: 0.9,
        stop: ['<|eot_id|>', '###'],
        seed: 42,
      }),
    );
    const [create, ...gets] = fake.requests;
    expect(create.method).toBe('POST');
    expect(create.url).toBe('/v1/models/meta/meta-llama-3-70b-instruct/predictions');
    expect(create.headers.authorization).toBe('Bearer test-key');
    expect(create.headers.prefer).toBe('wait');
    expect(create.json).toEqual({
      input: {
        prompt: 'User: Write a haiku about llamas\n\nAssistant: Which season?\n\nUser: Spring.\n\nAssistant:',
        system_prompt: 'You are a poet.',
        max_tokens: 64,
        temperature: 0.6,
        top_p: 0.9,
        seed: 42,
        stop_sequences: '<|eot_id|>,###',
      },
    });
    expect(gets.map((request) => [request.method, request.url, request.headers.authorization])).toEqual([
      ['GET', predictionUrl, 'Bearer test-key'],
      ['GET', predictionUrl, 'Bearer test-key'],
    ]);
    expect(result.id).toBe('ufawqhfynnddngldkgtslldrkq');
    expect(result.choices[0]).toMatchObject({
      message: { content: 'Soft wool on the hills,\nQuiet llamas chew their cud.' },
      finishReason: { unified: 'stop', raw: 'succeeded' },
    });
    expect(result.usage).toMatchObject({ inputTokens: { total: 31 }, outputTokens: { total: 14 }, raw: { input_token_count: 31, predict_time: 0.811 } });
  });

  it('runs a pinned version with model-specific inputs, and estimates usage without metrics', async () => {
    fake.setHandler((_request, response) => sendJson(response, 201, prediction('prediction-succeeded.json', { metrics: null })));
    const target = deployment(
      { upstreamModel: 'meta/llama-2-70b-chat:02e509c789964a7ea8736978a43525956ef40397be9033abf9fd2badfe68c9e3' },
      { replicate_max_tokens_param: 'max_new_tokens', replicate_input: { top_k: 50, temperature: 1 }, replicate_wait_seconds: 30 },
    );
    const result = await adapter.chat(call({ max_tokens: 100, temperature: 0.2, tools: [{ type: 'function', function: { name: 'f' } }] }, target));
    const [create] = fake.requests;
    expect(create.url).toBe('/v1/predictions');
    expect(create.headers.prefer).toBe('wait=30');
    expect(create.json).toEqual({
      version: '02e509c789964a7ea8736978a43525956ef40397be9033abf9fd2badfe68c9e3',
      input: { top_k: 50, temperature: 0.2, prompt: 'Write a haiku about llamas', max_new_tokens: 100 },
    });
    expect(fake.requests).toHaveLength(1);
    expect(result.warnings).toEqual(['replicate does not support tools; it was not sent']);
    expect(result.usage).toMatchObject({ inputTokens: { total: 7 }, outputTokens: { total: 13 }, raw: { estimated: true } });
  });

  it('streams the output events, then reads the metrics of the finished prediction', async () => {
    fake.setHandler((request, response) => {
      if (request.method === 'POST') return sendJson(response, 201, prediction('prediction-starting.json'));
      if (request.url === streamUrl) return sendSse(response, [fixture('stream.sse')]);
      sendJson(response, 200, prediction('prediction-succeeded.json'));
    });
    const parts = await collect(await adapter.chatStream(call({ stream: true, user: 'u-1' })));
    const [create, stream, get] = fake.requests;
    expect(create.json).toEqual({ input: { prompt: 'Write a haiku about llamas' }, stream: true });
    expect(create.headers.prefer).toBeUndefined();
    expect([stream.url, stream.headers.accept, stream.headers.authorization]).toEqual([streamUrl, 'text/event-stream', 'Bearer test-key']);
    expect(get.url).toBe(predictionUrl);
    expect(parts[0]).toMatchObject({ type: 'response-metadata', id: 'ufawqhfynnddngldkgtslldrkq', model: 'meta/meta-llama-3-70b-instruct' });
    expect(parts[1]).toEqual({ type: 'warning', message: 'replicate does not support user; it was not sent' });
    expect(text(parts)).toBe('Soft wool on the hills,\nQuiet llamas chew.');
    expect(parts.at(-2)).toEqual({ type: 'finish', index: 0, finishReason: { unified: 'stop', raw: null } });
    expect(parts.at(-1)).toMatchObject({ type: 'usage', usage: { inputTokens: { total: 31 }, outputTokens: { total: 14 } } });
  });

  it('estimates stream usage when the finished prediction has no metrics', async () => {
    fake.setHandler((request, response) => {
      if (request.method === 'POST') return sendJson(response, 201, prediction('prediction-starting.json'));
      if (request.url === streamUrl) return sendSse(response, [fixture('stream.sse')]);
      sendJson(response, 200, prediction('prediction-processing.json'));
    });
    const parts = await collect(await adapter.chatStream(call({ stream: true })));
    expect(parts.at(-1)).toMatchObject({ type: 'usage', usage: { inputTokens: { total: 7 }, outputTokens: { total: 11 }, raw: { estimated: true } } });
  });

  it('maps HTTP errors, failed predictions and stream failures', async () => {
    fake.setHandler((_request, response) => sendJson(response, 422, JSON.parse(fixture('error-invalid-version.json'))));
    await expect(adapter.chat(call())).rejects.toMatchObject({
      code: 'invalid_request',
      status: 422,
      isRetryable: false,
      message: "replicate error: The specified version does not exist (or perhaps you don't have permission to use it?)",
    });

    fake.setHandler((_request, response) =>
      sendJson(response, 429, { title: 'Request was throttled.', detail: 'Request was throttled. Expected available in 2 seconds.', status: 429 }, { 'retry-after': '2' }),
    );
    await expect(adapter.chatStream(call({ stream: true }))).rejects.toMatchObject({ code: 'rate_limited', isRetryable: true, retryAfterSeconds: 2 });

    fake.setHandler((_request, response) => sendJson(response, 201, prediction('prediction-failed.json')));
    await expect(adapter.chat(call())).rejects.toMatchObject({ code: 'upstream_error', message: 'replicate error: CUDA error: an illegal memory access was encountered' });

    fake.setHandler((request, response) => {
      if (request.method === 'POST') return sendJson(response, 201, prediction('prediction-starting.json'));
      sendSse(response, ['event: output\ndata: Soft\n\n', 'event: error\ndata: {"detail":"Prediction interrupted; please retry (code: PA)"}\n\n']);
    });
    const failed = await collect(await adapter.chatStream(call({ stream: true })));
    expect(text(failed)).toBe('Soft');
    expect(failed.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_error', message: 'replicate error: Prediction interrupted; please retry (code: PA)' } });

    fake.setHandler((request, response) => {
      if (request.method === 'POST') return sendJson(response, 201, prediction('prediction-starting.json'));
      sendSse(response, ['event: output\ndata: Soft\n\n']);
    });
    const cut = await collect(await adapter.chatStream(call({ stream: true })));
    expect(cut.some((part) => part.type === 'finish')).toBe(false);
    expect(cut.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_error' } });
    // A prediction left before `done` would run on: it is cancelled.
    await vi.waitFor(() => expect(fake.requests.some((request) => request.url === `${predictionUrl}/cancel`)).toBe(true));
  });

  it('cancels a running prediction when the caller goes away', async () => {
    const controller = new AbortController();
    fake.setHandler((request, response) => {
      if (request.method === 'POST' && request.url.endsWith('/cancel')) return sendJson(response, 200, prediction('prediction-processing.json', { status: 'canceled' }));
      if (request.method === 'POST') return sendJson(response, 201, prediction('prediction-starting.json'));
      controller.abort();
      sendJson(response, 200, prediction('prediction-processing.json'));
    });
    await expect(adapter.chat(call({}, deployment(), controller.signal))).rejects.toMatchObject({ code: 'cancelled' });
    await vi.waitFor(() => expect(fake.requests.some((request) => request.url === `${predictionUrl}/cancel` && request.method === 'POST')).toBe(true));
  });
});

describe('replicateCreateTarget', () => {
  const base: ResolvedDeployment = { id: 'd1', provider: 'replicate', upstreamModel: '', timeoutMs: 1, params: {} };
  it.each([
    ['meta/meta-llama-3-8b-instruct', undefined, 'https://api.replicate.com/v1/models/meta/meta-llama-3-8b-instruct/predictions', undefined],
    ['replicate/llama-7b:ac808388e2e9d8ed35a5bf2eaa7d83f0ad53f9e3df31a42e4eb0a0c3249b3165', undefined, 'https://api.replicate.com/v1/predictions', 'ac808388e2e9d8ed35a5bf2eaa7d83f0ad53f9e3df31a42e4eb0a0c3249b3165'],
    ['deployments/acme/my-llama', 'https://api.replicate.com/v1/', 'https://api.replicate.com/v1/deployments/acme/my-llama/predictions', undefined],
  ])('%s (api_base %s) -> %s', (upstreamModel, apiBase, url, version) => {
    expect(replicateCreateTarget({ ...base, upstreamModel, apiBase })).toEqual({ url, ...(version ? { version } : {}) });
  });
});

describe('ReplicateAdapter registration', () => {
  it('is registered as replicate', () => {
    expect(createProviderRegistry().get('replicate')).toBeInstanceOf(ReplicateAdapter);
  });
});
