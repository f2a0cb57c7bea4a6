import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation, readUsageEvents, startFakeOpenAiUpstream, startSystem, waitForUsageEvent, waitForUsageEvents } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';
import { fakeUpstreamConfig, upstreamKey } from './e2e-config';

describe('cancellation, queue groups and graceful shutdown', () => {
  let isolation: Isolation;
  let upstream: FakeServer;
  let system: RunningSystem;
  let client: OpenAI;
  const workerEnvironment = { FAKE_UPSTREAM_KEY: upstreamKey };

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startFakeOpenAiUpstream();
    system = await startSystem({
      isolation,
      config: fakeUpstreamConfig(upstream.url),
      workers: [
        { providers: 'openai,mock', environment: { ...workerEnvironment, WORKER_ID: 'worker-a' } },
        { providers: 'openai,mock', environment: { ...workerEnvironment, WORKER_ID: 'worker-b' } },
      ],
    });
    client = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: system.masterKey, maxRetries: 0 });
  });

  afterAll(async () => {
    await system?.stop();
    await upstream?.close();
    await isolation?.cleanup();
  });

  it('a client abort mid-stream closes the upstream socket within 1 s and bills what was delivered', async () => {
    const controller = new AbortController();
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'fake-slow-stream', stream: true, messages: [{ role: 'user', content: 'x' }] }, { signal: controller.signal })
      .withResponse();
    const requestId = response.headers.get('x-request-id') ?? '';
    const closesBefore = upstream.socketCloses.length;
    let abortedAt = 0;
    try {
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content) {
          abortedAt = Date.now();
          controller.abort();
          break;
        }
      }
    } catch {
      // the SDK may surface the abort as an error
    }
    expect(abortedAt).toBeGreaterThan(0);
    const deadline = abortedAt + 1_000;
    while (upstream.socketCloses.length === closesBefore && Date.now() < deadline + 200) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(upstream.socketCloses.length).toBeGreaterThan(closesBefore);
    expect(upstream.socketCloses.at(-1)! - abortedAt).toBeLessThanOrEqual(1_000);

    const event = await waitForUsageEvent(isolation, requestId);
    expect(event?.status).toBe('cancelled');
    expect(event?.usage.outputTokens.total).toBeGreaterThan(0);
  });

  it('a client abort while waiting for a non-streamed answer cancels the upstream call too', async () => {
    const controller = new AbortController();
    const closesBefore = upstream.socketCloses.length;
    const pending = client.chat.completions.create({ model: 'fake-hang', messages: [{ role: 'user', content: 'x' }] }, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const abortedAt = Date.now();
    controller.abort();
    await expect(pending).rejects.toThrow();
    while (upstream.socketCloses.length === closesBefore && Date.now() < abortedAt + 1_200) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(upstream.socketCloses.at(-1)! - abortedAt).toBeLessThanOrEqual(1_000);
  });

  it('two workers share one provider queue group', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 30; index += 1) {
      const { response } = await client.chat.completions.create({ model: 'fake-ok', messages: [{ role: 'user', content: 'x' }] }).withResponse();
      ids.push(response.headers.get('x-request-id') ?? '');
    }
    const events = await waitForUsageEvents(isolation, 32);
    const workers = events.filter((stored) => ids.includes(stored.event.requestId)).map((stored) => stored.event.workerId);
    expect(workers).toHaveLength(30);
    expect(new Set(workers)).toEqual(new Set(['worker-a', 'worker-b']));
  });

  it('a provider with no worker answers 503 with retry-after at once, never a hang', async () => {
    const started = Date.now();
    const response = await fetch(`${system.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${system.masterKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'groq-only', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Date.now() - started).toBeLessThan(2_000);
    const body = (await response.json()) as { error: { code: string } };
    expect(body.error.code).toBe('no_worker');
  });

  it('on SIGTERM a worker finishes its in-flight request and publishes its usage before exiting', async () => {
    const extra = await system.startWorker({ providers: 'openai', environment: { ...workerEnvironment, WORKER_ID: 'worker-c' } });
    // Leave only worker-c serving openai, so the slow request lands on it.
    await Promise.all(system.workers.slice(0, 2).map((worker) => worker.stop()));
    const pending = client.chat.completions.create({ model: 'fake-slow-ok', messages: [{ role: 'user', content: 'x' }] }).withResponse();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exited = extra.stop('SIGTERM');
    const { data, response } = await pending;
    expect(data.choices[0].message.content).toContain('fake upstream');
    expect(await exited).toBe(0);
    const requestId = response.headers.get('x-request-id') ?? '';
    expect(await waitForUsageEvent(isolation, requestId)).toMatchObject({ status: 'success', workerId: 'worker-c' });
    const events = await readUsageEvents(isolation);
    expect(events.filter((stored) => stored.event.requestId === requestId)).toHaveLength(1);
  });

  it('on SIGTERM the gateway fails readiness, finishes in-flight requests, then exits 0', async () => {
    await system.startWorker({ providers: 'openai', environment: workerEnvironment });
    const second = await system.startGateway();
    const secondClient = new OpenAI({ baseURL: `${second.baseUrl}/v1`, apiKey: system.masterKey, maxRetries: 0 });
    const pending = secondClient.chat.completions.create({ model: 'fake-slow-ok', messages: [{ role: 'user', content: 'x' }] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exited = second.process.stop('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const readiness = await fetch(`${second.baseUrl}/health/readiness`).catch(() => undefined);
    if (readiness) expect(readiness.status).toBe(503);
    const answer = await pending;
    expect(answer.choices[0].message.content).toContain('fake upstream');
    expect(await exited).toBe(0);
  });
});
