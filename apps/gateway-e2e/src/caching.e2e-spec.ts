import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation, readUsageEvents, startFakeOpenAiUpstream, startSystem, waitForUsageEvents } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';
import { fakeUpstreamConfig, manage, upstreamKey } from './e2e-config';

const workerEnvironment = { FAKE_UPSTREAM_KEY: upstreamKey };
// Lookups are bounded at 5 ms by default; on this shared 2-core machine a test's hit must not turn
// into a miss because another engineer's suite holds the CPU, so the bound is looser here.
const gatewayEnvironment = { CACHE_LOOKUP_TIMEOUT_MS: '250' };

let sequence = 0;
/** A prompt no other test (or earlier run against the same Redis) has asked. */
function uniquePrompt(label: string): string {
  sequence += 1;
  return `${label} ${sequence} ${Date.now()} ${Math.random()}`;
}

function chatCalls(upstream: FakeServer): number {
  return upstream.requests.filter((request) => request.url.endsWith('/chat/completions')).length;
}

type Raw = { headers: Headers; body: Record<string, unknown>; status: number };

async function post(baseUrl: string, key: string, path: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Raw> {
  const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { headers: response.headers, body: (await response.json()) as Record<string, unknown>, status: response.status };
}

/** Streams a chat request with the official client; the assembled text, the chunks and the headers. */
async function streamChat(client: OpenAI, prompt: string, extra: Record<string, unknown> = {}) {
  const { data: stream, response } = await client.chat.completions
    .create({ model: 'fake-ok', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: prompt }], ...extra } as OpenAI.Chat.ChatCompletionCreateParamsStreaming)
    .withResponse();
  const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
  return { text, chunks, headers: response.headers };
}

async function completeChat(client: OpenAI, prompt: string, extra: Record<string, unknown> = {}) {
  const { data, response } = await client.chat.completions.create({ model: 'fake-ok', messages: [{ role: 'user', content: prompt }], ...extra } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming).withResponse();
  return { completion: data, headers: response.headers };
}

describe('response cache (redis): exact hits, streams, controls, two instances', () => {
  let isolation: Isolation;
  let upstream: FakeServer;
  let system: RunningSystem;
  let client: OpenAI;

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startFakeOpenAiUpstream();
    system = await startSystem({
      isolation,
      config: `${fakeUpstreamConfig(upstream.url)}
litellm_settings:
  cache: true
  cache_params:
    type: redis
    ttl: 600
    namespace: e2e
`,
      workers: [{ providers: 'openai,mock', environment: workerEnvironment }],
      gatewayEnvironment,
      budget: true,
    });
    client = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: system.masterKey, maxRetries: 0 });
  });

  afterAll(async () => {
    await system?.stop();
    await upstream?.close();
    await isolation?.cleanup();
  });

  it('answers the same request twice with one upstream call; equal answers but id and created; one usage event each, the hit flagged at cost 0; a second gateway hits the first one’s entry', async () => {
    const prompt = uniquePrompt('twice');
    const before = chatCalls(upstream);
    const first = await completeChat(client, prompt, { temperature: 0.3 });
    const second = await completeChat(client, prompt, { temperature: 0.3 });
    expect(chatCalls(upstream) - before).toBe(1);
    expect(first.headers.get('x-litellm-cache-hit')).toBe('False');
    expect(second.headers.get('x-litellm-cache-hit')).toBe('True');
    const key = second.headers.get('x-litellm-cache-key') ?? '';
    expect(key).toMatch(/^e2e:[0-9a-f]{64}$/);
    expect(first.headers.get('x-litellm-cache-key')).toBe(key);
    expect(second.headers.get('x-litellm-response-cost')).toBe('0');
    const { id: firstId, created: _firstCreated, ...firstRest } = first.completion;
    const { id: secondId, created: _secondCreated, ...secondRest } = second.completion;
    expect(secondRest).toEqual(firstRest);
    expect(secondId).not.toBe(firstId);
    expect(second.completion.choices[0].message.content).toBe('Hello from the fake upstream.');

    // A different parameter is a different answer.
    const other = await completeChat(client, prompt, { temperature: 0.4 });
    expect(other.headers.get('x-litellm-cache-hit')).toBe('False');
    expect(chatCalls(upstream) - before).toBe(2);

    const requestIds = [first.headers.get('x-request-id'), second.headers.get('x-request-id')];
    const events = await waitForUsageEvents(isolation, 1);
    const deadline = Date.now() + 10_000;
    let mine = events.filter((stored) => requestIds.includes(stored.event.requestId));
    while (mine.length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      mine = (await readUsageEvents(isolation)).filter((stored) => requestIds.includes(stored.event.requestId));
    }
    expect(mine).toHaveLength(2);
    const hitEvent = mine.find((stored) => stored.event.requestId === requestIds[1])?.event;
    expect(hitEvent?.cacheHit).toBe(true);
    expect(hitEvent?.cacheKey).toBe(key);
    expect(hitEvent?.usage.outputTokens.total).toBe(7);
    expect(mine.find((stored) => stored.event.requestId === requestIds[0])?.event.cacheHit).toBeUndefined();

    // The ledger: the hit's row is flagged and costs nothing.
    let rows: Array<Record<string, unknown>> = [];
    const ledgerDeadline = Date.now() + 15_000;
    while (Date.now() < ledgerDeadline) {
      const response = await fetch(`${system.baseUrl}/spend/logs?request_id=${requestIds[1]}`, { headers: { authorization: `Bearer ${system.masterKey}` } });
      rows = (await response.json()) as Array<Record<string, unknown>>;
      if (rows.length) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(rows[0]).toMatchObject({ cache_hit: true, cache_key: key, spend: 0 });

    // Another gateway instance finds the entry the first one stored.
    const secondGateway = await system.startGateway(gatewayEnvironment);
    const otherClient = new OpenAI({ baseURL: `${secondGateway.baseUrl}/v1`, apiKey: system.masterKey, maxRetries: 0 });
    const third = await completeChat(otherClient, prompt, { temperature: 0.3 });
    expect(third.headers.get('x-litellm-cache-hit')).toBe('True');
    expect(third.completion.choices[0].message.content).toBe(first.completion.choices[0].message.content);
    expect(chatCalls(upstream) - before).toBe(2);
    await secondGateway.process.stop();
  });

  it('stream then stream, non-stream then stream, stream then non-stream: all hits, chunks well formed, include_usage honoured', async () => {
    const before = chatCalls(upstream);
    const streamPrompt = uniquePrompt('stream-stream');
    const firstStream = await streamChat(client, streamPrompt);
    const secondStream = await streamChat(client, streamPrompt);
    expect(secondStream.headers.get('x-litellm-cache-hit')).toBe('True');
    expect(secondStream.text).toBe(firstStream.text);
    expect(secondStream.text).toBe('Hello from the fake upstream.');
    expect(secondStream.chunks.at(-1)?.usage?.completion_tokens).toBe(7);
    expect(secondStream.chunks.at(-1)?.choices).toEqual([]);
    expect(secondStream.chunks.some((chunk) => chunk.choices[0]?.finish_reason === 'stop')).toBe(true);
    expect(new Set(secondStream.chunks.map((chunk) => chunk.id)).size).toBe(1);

    const wholePrompt = uniquePrompt('whole-stream');
    const whole = await completeChat(client, wholePrompt);
    const replayed = await streamChat(client, wholePrompt);
    expect(replayed.headers.get('x-litellm-cache-hit')).toBe('True');
    expect(replayed.text).toBe(whole.completion.choices[0].message.content);

    const streamedPrompt = uniquePrompt('stream-whole');
    const streamed = await streamChat(client, streamedPrompt);
    const folded = await completeChat(client, streamedPrompt);
    expect(folded.headers.get('x-litellm-cache-hit')).toBe('True');
    expect(folded.completion.choices[0].message.content).toBe(streamed.text);
    expect(folded.completion.choices[0].finish_reason).toBe('stop');
    expect(folded.completion.usage?.completion_tokens).toBe(7);

    // Without include_usage the replayed stream has no usage chunk.
    const noUsage = await client.chat.completions.create({ model: 'fake-ok', stream: true, messages: [{ role: 'user', content: streamPrompt }] });
    const noUsageChunks: OpenAI.Chat.ChatCompletionChunk[] = [];
    for await (const chunk of noUsage) noUsageChunks.push(chunk);
    expect(noUsageChunks.every((chunk) => !chunk.usage)).toBe(true);
    expect(chatCalls(upstream) - before).toBe(3);
  });

  it('Anthropic Messages and Responses requests are served from the cache too, in their own format', async () => {
    const anthropic = new Anthropic({ baseURL: system.baseUrl, apiKey: system.masterKey, maxRetries: 0 });
    const prompt = uniquePrompt('messages');
    const before = chatCalls(upstream);
    const first = await anthropic.messages.create({ model: 'fake-ok', max_tokens: 50, messages: [{ role: 'user', content: prompt }] });
    const { data: second, response } = await anthropic.messages.create({ model: 'fake-ok', max_tokens: 50, messages: [{ role: 'user', content: prompt }] }).withResponse();
    expect(response.headers.get('x-litellm-cache-hit')).toBe('True');
    expect(second.content).toEqual(first.content);
    expect(second.id).not.toBe(first.id);
    const stream = anthropic.messages.stream({ model: 'fake-ok', max_tokens: 50, messages: [{ role: 'user', content: prompt }] });
    const final = await stream.finalMessage();
    expect(final.content).toEqual(first.content);
    expect(chatCalls(upstream) - before).toBe(1);

    const responsesPrompt = uniquePrompt('responses');
    const one = await client.responses.create({ model: 'fake-ok', input: responsesPrompt });
    const two = await client.responses.create({ model: 'fake-ok', input: responsesPrompt });
    expect(two.output_text).toBe(one.output_text);
    expect(two.id).not.toBe(one.id);
    // The hit's response is stored like any other: it can be continued.
    const follow = await client.responses.retrieve(two.id);
    expect(follow.output_text).toBe(one.output_text);
    expect(chatCalls(upstream) - before).toBe(2);
  });

  it('embeddings are cached', async () => {
    const input = uniquePrompt('embed');
    const before = upstream.requests.filter((request) => request.url.endsWith('/embeddings')).length;
    const first = await client.embeddings.create({ model: 'fake-embedding', input });
    const second = await client.embeddings.create({ model: 'fake-embedding', input });
    expect(second.data).toEqual(first.data);
    expect(upstream.requests.filter((request) => request.url.endsWith('/embeddings')).length - before).toBe(1);
  });

  it('no-cache skips the lookup, no-store skips the write, ttl and s-maxage bound the age, namespace separates entries', async () => {
    const prompt = uniquePrompt('controls');
    const ask = (cache?: Record<string, unknown>, headers: Record<string, string> = {}) =>
      post(system.baseUrl, system.masterKey, '/v1/chat/completions', { model: 'fake-ok', messages: [{ role: 'user', content: prompt }], ...(cache ? { cache } : {}) }, headers);

    // no-store: answered, not kept.
    let before = chatCalls(upstream);
    expect((await ask({ 'no-store': true })).headers.get('x-litellm-cache-hit')).toBe('False');
    expect((await ask({ 'no-store': true })).headers.get('x-litellm-cache-hit')).toBe('False');
    expect(chatCalls(upstream) - before).toBe(2);

    // Stored now; no-cache goes upstream anyway (and stores again); Cache-Control: no-cache too.
    await ask();
    expect((await ask()).headers.get('x-litellm-cache-hit')).toBe('True');
    before = chatCalls(upstream);
    expect((await ask({ 'no-cache': true })).headers.get('x-litellm-cache-hit')).toBe('False');
    expect((await ask(undefined, { 'cache-control': 'no-cache' })).headers.get('x-litellm-cache-hit')).toBe('False');
    expect(chatCalls(upstream) - before).toBe(2);

    // s-maxage: an entry older than asked for is not used.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await ask({ 's-maxage': 1 })).headers.get('x-litellm-cache-hit')).toBe('False');
    expect((await ask({ 's-maxage': 60 })).headers.get('x-litellm-cache-hit')).toBe('True');

    // ttl: an entry stored for 1 s is gone after it.
    const short = uniquePrompt('ttl');
    const askShort = (cache?: Record<string, unknown>) => post(system.baseUrl, system.masterKey, '/v1/chat/completions', { model: 'fake-ok', messages: [{ role: 'user', content: short }], ...(cache ? { cache } : {}) });
    await askShort({ ttl: 1 });
    expect((await askShort()).headers.get('x-litellm-cache-hit')).toBe('True');
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    expect((await askShort({ 'no-store': true })).headers.get('x-litellm-cache-hit')).toBe('False');

    // namespace: entries of one namespace are not another's.
    const spaced = uniquePrompt('namespace');
    const askSpaced = (namespace: string) => post(system.baseUrl, system.masterKey, '/v1/chat/completions', { model: 'fake-ok', messages: [{ role: 'user', content: spaced }], cache: { namespace } });
    const a = await askSpaced('team-a');
    expect(a.headers.get('x-litellm-cache-key')).toMatch(/^team-a:/);
    expect((await askSpaced('team-b')).headers.get('x-litellm-cache-hit')).toBe('False');
    expect((await askSpaced('team-a')).headers.get('x-litellm-cache-hit')).toBe('True');

    // A malformed control is a 400 naming it.
    const bad = await ask({ ttl: 'soon' });
    expect(bad.status).toBe(400);
    expect((bad.body.error as { param: string }).param).toBe('cache.ttl');
    const unknown = await ask({ 'max-age': 5 });
    expect(unknown.status).toBe(400);
  });

  it('a key limited by allowed_cache_controls may set only those (403, LiteLLM’s message)', async () => {
    const { key } = (await manage(system, '/key/generate', { allowed_cache_controls: ['no-cache'] })) as { key: string };
    const prompt = uniquePrompt('allowed');
    const allowed = await post(system.baseUrl, key, '/v1/chat/completions', { model: 'fake-ok', messages: [{ role: 'user', content: prompt }], cache: { 'no-cache': true } });
    expect(allowed.status).toBe(200);
    const refused = await post(system.baseUrl, key, '/v1/chat/completions', { model: 'fake-ok', messages: [{ role: 'user', content: prompt }], cache: { ttl: 5 } });
    expect(refused.status).toBe(403);
    expect((refused.body.error as { message: string }).message).toBe('Not allowed to set ttl as a cache control. Contact admin to change permissions.');
    expect(refused.headers.get('x-request-id')).toBeTruthy();
    // Plain requests of that key still use the cache.
    expect((await post(system.baseUrl, key, '/v1/chat/completions', { model: 'fake-ok', messages: [{ role: 'user', content: prompt }] })).headers.get('x-litellm-cache-hit')).toBe('True');
  });

  it('/cache/ping, /cache/delete and /cache/flushall (admins only), cache settings in /health', async () => {
    const ping = await fetch(`${system.baseUrl}/cache/ping`, { headers: { authorization: `Bearer ${system.masterKey}` } });
    expect(ping.status).toBe(200);
    expect(await ping.json()).toMatchObject({ status: 'healthy', cache_type: 'redis', ping_response: true, litellm_cache_params: { type: 'redis', namespace: 'e2e' } });

    const prompt = uniquePrompt('delete');
    const first = await completeChat(client, prompt);
    const key = first.headers.get('x-litellm-cache-key') ?? '';
    expect((await completeChat(client, prompt)).headers.get('x-litellm-cache-hit')).toBe('True');

    const { key: userKey } = (await manage(system, '/key/generate', {})) as { key: string };
    expect((await post(system.baseUrl, userKey, '/cache/delete', { keys: [key] })).status).toBe(401);
    expect((await post(system.baseUrl, userKey, '/cache/flushall', {})).status).toBe(401);
    expect((await post(system.baseUrl, system.masterKey, '/cache/delete', { keys: 'nope' })).status).toBe(400);

    const deleted = await post(system.baseUrl, system.masterKey, '/cache/delete', { keys: [key] });
    expect(deleted.body).toMatchObject({ status: 'success', deleted: 1 });
    expect((await completeChat(client, prompt)).headers.get('x-litellm-cache-hit')).toBe('False');
    expect((await completeChat(client, prompt)).headers.get('x-litellm-cache-hit')).toBe('True');

    const flushed = await post(system.baseUrl, system.masterKey, '/cache/flushall', {});
    expect(flushed.body.status).toBe('success');
    expect((await completeChat(client, prompt)).headers.get('x-litellm-cache-hit')).toBe('False');
    // Only the cache was flushed: the gateway still verifies keys and routes (its own Redis keys untouched).
    expect((await post(system.baseUrl, userKey, '/v1/chat/completions', { model: 'fake-ok', messages: [{ role: 'user', content: 'x' }] })).status).toBe(200);

    const health = await fetch(`${system.baseUrl}/health?model=fake-ok`, { headers: { authorization: `Bearer ${system.masterKey}` } });
    expect(((await health.json()) as { cache: unknown }).cache).toMatchObject({ type: 'redis', namespace: 'e2e', ttl: 600, mode: 'default_on', scope: 'global' });

    const metrics = await (await fetch(system.gatewayMetricsUrl)).text();
    expect(metrics).toMatch(/switchboard_cache_hits_total\{route="chat",model_group="fake-ok",cache_type="redis"[^}]*\} \d+/);
    expect(metrics).toMatch(/switchboard_cache_misses_total\{route="chat",model_group="fake-ok",cache_type="redis"[^}]*\} \d+/);
  });
});

describe('response cache (local): default_off with use-cache, scope key', () => {
  let isolation: Isolation;
  let upstream: FakeServer;
  let system: RunningSystem;

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startFakeOpenAiUpstream();
    system = await startSystem({
      isolation,
      config: `${fakeUpstreamConfig(upstream.url)}
litellm_settings:
  cache: true
  cache_params:
    type: local
    mode: default_off
    scope: key
    supported_call_types: ["acompletion"]
`,
      workers: [{ providers: 'openai,mock', environment: workerEnvironment }],
      gatewayEnvironment,
    });
  });

  afterAll(async () => {
    await system?.stop();
    await upstream?.close();
    await isolation?.cleanup();
  });

  it('caches only what opts in with use-cache, and keeps two keys apart', async () => {
    const prompt = uniquePrompt('default-off');
    const body = { model: 'fake-ok', messages: [{ role: 'user', content: prompt }] };
    const before = chatCalls(upstream);
    const plain = await post(system.baseUrl, system.masterKey, '/v1/chat/completions', body);
    expect(plain.headers.get('x-litellm-cache-hit')).toBeNull();
    await post(system.baseUrl, system.masterKey, '/v1/chat/completions', body);
    expect(chatCalls(upstream) - before).toBe(2);

    const { key: keyA } = (await manage(system, '/key/generate', {})) as { key: string };
    const { key: keyB } = (await manage(system, '/key/generate', {})) as { key: string };
    const optIn = { ...body, cache: { 'use-cache': true } };
    expect((await post(system.baseUrl, keyA, '/v1/chat/completions', optIn)).headers.get('x-litellm-cache-hit')).toBe('False');
    expect((await post(system.baseUrl, keyA, '/v1/chat/completions', optIn)).headers.get('x-litellm-cache-hit')).toBe('True');
    expect((await post(system.baseUrl, keyB, '/v1/chat/completions', optIn)).headers.get('x-litellm-cache-hit')).toBe('False');
    expect((await post(system.baseUrl, keyB, '/v1/chat/completions', optIn)).headers.get('x-litellm-cache-hit')).toBe('True');
    expect(chatCalls(upstream) - before).toBe(4);

    // supported_call_types: only chat here; embeddings are never cached.
    const embeddingsBefore = upstream.requests.filter((request) => request.url.endsWith('/embeddings')).length;
    for (let i = 0; i < 2; i += 1) await post(system.baseUrl, keyA, '/v1/embeddings', { model: 'fake-embedding', input: prompt, cache: { 'use-cache': true } });
    expect(upstream.requests.filter((request) => request.url.endsWith('/embeddings')).length - embeddingsBefore).toBe(2);
  });
});
