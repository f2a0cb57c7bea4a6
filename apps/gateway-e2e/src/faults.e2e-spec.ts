import type { ServerResponse } from 'node:http';
import OpenAI from 'openai';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation, startFakeServer, startPrivateNats, startSystem } from '@switchboard/testing';
import type { FakeServer, Isolation, PrivateNats, RecordedRequest, RunningSystem } from '@switchboard/testing';

/**
 * Faults of the bus and the workers (docs/ARCHITECTURE.md, "Faults"), with real processes and a
 * nats-server of this file's own where a test kills it.
 */

const chunkOf = (content: string, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-fault', object: 'chat.completion.chunk', created: 1, model: 'fault', choices: [{ index: 0, delta: finish ? {} : { content }, finish_reason: finish }] })}\n\n`;

/** The upstream: what each fault needs, picked by the upstream model name. */
function upstreamHandler(request: RecordedRequest, response: ServerResponse): void {
  const body = (request.json ?? {}) as { model?: string; input?: unknown[]; messages?: Array<{ content?: string }> };
  if (request.url.endsWith('/embeddings')) {
    // ~5 MB of JSON: 100 inputs x 4,000 dimensions.
    const data = (body.input ?? []).map((_, index) => ({ object: 'embedding', index, embedding: Array.from({ length: 4_000 }, (_, dimension) => (index + dimension) / 1_000_003) }));
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ object: 'list', model: 'big', data, usage: { prompt_tokens: 100, total_tokens: 100 } }));
    return;
  }
  if (body.model === 'slow-answer') {
    setTimeout(() => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'chatcmpl-slow', object: 'chat.completion', created: 1, model: 'slow', choices: [{ index: 0, message: { role: 'assistant', content: 'done' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 } }));
    }, 1_500);
    return;
  }
  if (body.model === 'echo-length') {
    response.writeHead(200, { 'content-type': 'application/json' });
    const content = `received ${body.messages?.[0]?.content?.length ?? 0}`;
    response.end(JSON.stringify({ id: 'chatcmpl-echo', object: 'chat.completion', created: 1, model: 'echo', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 } }));
    return;
  }
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  if (body.model === 'big-event') {
    // One event of 1.5 MB, then the end: larger than the bus's 1 MB message limit.
    response.write(chunkOf('x'.repeat(1_500_000)));
    response.end(`${chunkOf('', 'stop')}data: [DONE]\n\n`);
    return;
  }
  // slow-stream: a chunk every 100 ms for 6 s.
  let sent = 0;
  const timer = setInterval(() => {
    if (response.destroyed || sent >= 60) {
      clearInterval(timer);
      if (!response.destroyed) response.end(`${chunkOf('', 'stop')}data: [DONE]\n\n`);
      return;
    }
    response.write(chunkOf(`t${sent} `));
    sent += 1;
  }, 100);
  response.on('close', () => clearInterval(timer));
}

const config = (upstream: string) => `model_list:
${['slow-stream', 'slow-answer', 'big-event', 'echo-length']
  .map((name) => `  - model_name: ${name}\n    litellm_params:\n      model: openai/${name}\n      api_base: ${upstream}/v1\n      api_key: sk-upstream\n`)
  .join('')}  - model_name: big-embeddings
    litellm_params:
      model: openai/big
      api_base: ${upstream}/v1
      api_key: sk-upstream
    model_info:
      mode: embedding
general_settings:
  max_request_size_mb: 20
`;

async function ledgerRows(isolation: Isolation): Promise<Array<{ request_id: string; status: string }>> {
  const database = new pg.Client({ connectionString: isolation.databaseUrl });
  await database.connect();
  try {
    return (await database.query<{ request_id: string; status: string }>('SELECT request_id, status FROM spend_ledger')).rows;
  } finally {
    await database.end();
  }
}

describe('faults: the bus and the workers', () => {
  let isolation: Isolation;
  let upstream: FakeServer;
  let nats: PrivateNats;
  let system: RunningSystem;
  let client: OpenAI;

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startFakeServer(upstreamHandler);
    nats = await startPrivateNats();
    system = await startSystem({
      isolation: { ...isolation, environment: { ...isolation.environment, NATS_URL: nats.url } },
      config: config(upstream.url),
      workers: [{ providers: 'openai' }, { providers: 'openai' }],
      budget: true,
      gatewayEnvironment: { LOST_WORKER_USAGE_GRACE_MS: '1000' },
    });
    client = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: system.masterKey, maxRetries: 0, timeout: 30_000 });
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
    await nats?.stop();
    await upstream?.close();
    await isolation?.cleanup();
  });

  it('carries a 1.5 MB streamed event, a 5 MB embeddings answer and a 3 MB request intact; the workers keep running', async () => {
    let text = '';
    for await (const chunk of await client.chat.completions.create({ model: 'big-event', stream: true, messages: [{ role: 'user', content: 'big' }] })) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('x'.repeat(1_500_000));
    const embeddings = await client.embeddings.create({ model: 'big-embeddings', input: Array.from({ length: 100 }, (_, index) => `input ${index}`), encoding_format: 'float' });
    expect(embeddings.data).toHaveLength(100);
    expect(embeddings.data[99].embedding).toHaveLength(4_000);
    expect(embeddings.data[99].embedding[3_999]).toBeCloseTo((99 + 3_999) / 1_000_003, 12);
    // A request larger than one bus message reaches the worker through the payload store.
    const large = await client.chat.completions.create({ model: 'echo-length', messages: [{ role: 'user', content: 'y'.repeat(3_000_000) }] });
    expect(large.choices[0].message.content).toBe('received 3000000');
    expect(system.workers.every((worker) => worker.running)).toBe(true);
  }, 60_000);

  it('a worker SIGKILLed under 10 streams: each client sees an in-band error within 5 s, never a fake finish', async () => {
    const streams = await Promise.all(
      Array.from({ length: 10 }, () => client.chat.completions.create({ model: 'slow-stream', stream: true, messages: [{ role: 'user', content: 'go' }] }).withResponse()),
    );
    const requestIds = streams.map((stream) => stream.response.headers.get('x-request-id') ?? '');
    const outcomes = streams.map(async ({ data: stream }) => {
      let finish: string | null = null;
      try {
        for await (const chunk of stream) finish = chunk.choices[0]?.finish_reason ?? finish;
        return { error: undefined, finish, at: Date.now() };
      } catch (error) {
        return { error: error as Error, finish, at: Date.now() };
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Kill the worker that holds streams (both may: kill both workers' in-flight by killing one, then the other).
    const victim = system.workers[0];
    const killedAt = Date.now();
    await victim.stop('SIGKILL');
    const results = await Promise.all(outcomes);
    const cut = results.filter((result) => result.error);
    // The streams the killed worker held ended with an error within 5 s; the others completed normally.
    expect(cut.length).toBeGreaterThan(0);
    for (const result of cut) {
      expect(result.at - killedAt).toBeLessThan(5_000);
      expect(result.finish).toBeNull();
    }
    for (const result of results.filter((entry) => !entry.error)) expect(result.finish).toBe('stop');
    // Every stream is billed once: the cut ones by the gateway's estimate of what was delivered (the worker is gone).
    await expect.poll(async () => (await ledgerRows(isolation)).filter((row) => requestIds.includes(row.request_id)).length, { timeout: 20_000, interval: 500 }).toBe(10);
    expect(new Set((await ledgerRows(isolation)).filter((row) => requestIds.includes(row.request_id)).map((row) => row.request_id)).size).toBe(10);
    await system.startWorker({ providers: 'openai' });
  }, 90_000);

  it('nats-server killed under 32 requests and restarted 2 s later: every request ends in bounded time with 200 or a clear error; the ledger has one row per request', async () => {
    const before = new Set((await ledgerRows(isolation)).map((row) => row.request_id));
    const started = Date.now();
    const calls = Array.from({ length: 32 }, async () => {
      const response = await fetch(`${system.baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${system.masterKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'slow-answer', messages: [{ role: 'user', content: 'x' }] }),
      });
      const body = (await response.json()) as { error?: { message?: string; type?: string } };
      return { status: response.status, body, requestId: response.headers.get('x-request-id'), at: Date.now() };
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const killedAt = Date.now();
    await nats.kill();
    setTimeout(() => void nats.restart(), 2_000);
    // While the bus is down, a new request is refused at once with a retryable 503, not left waiting.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const during = Date.now();
    const refused = await fetch(`${system.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${system.masterKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'slow-answer', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(Date.now() - during).toBeLessThan(1_000);
    const results = await Promise.all(calls);
    for (const result of results) {
      // Bounded: failed at once when the bus dropped (well under the 1.5 s answer + the 2 s outage).
      expect(result.at - killedAt).toBeLessThan(5_000);
      if (result.status !== 200) {
        expect(result.status).toBe(503);
        expect(result.body.error?.message).toMatch(/message bus/);
      }
    }
    expect(Date.now() - started).toBeLessThan(10_000);
    // Requests sent while the bus is down are refused at once, not left hanging.
    // Once it is back, requests are served again.
    await expect.poll(async () => (await client.chat.completions.create({ model: 'slow-answer', messages: [{ role: 'user', content: 'again' }] }).catch(() => undefined))?.choices[0].message.content, { timeout: 20_000, interval: 500 }).toBe('done');
    const answered = results.filter((result) => result.status === 200).map((result) => result.requestId);
    // Every request of the load is recorded once: the answered ones as success, the failed ones as errors.
    await expect
      .poll(async () => (await ledgerRows(isolation)).filter((row) => !before.has(row.request_id) && results.some((result) => result.requestId === row.request_id)).length, { timeout: 40_000, interval: 500 })
      .toBe(32);
    const rows = (await ledgerRows(isolation)).filter((row) => results.some((result) => result.requestId === row.request_id));
    expect(new Set(rows.map((row) => row.request_id)).size).toBe(32);
    expect(rows.filter((row) => row.status === 'success').map((row) => row.request_id).sort()).toEqual([...answered].sort());
  }, 120_000);
});
