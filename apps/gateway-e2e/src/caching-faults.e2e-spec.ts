import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation, startFakeOpenAiUpstream, startPrivateRedis, startSystem } from '@switchboard/testing';
import type { FakeServer, Isolation, PrivateRedis, RunningSystem } from '@switchboard/testing';
import { fakeUpstreamConfig, upstreamKey } from './e2e-config';

/**
 * The cache's Redis is a private redis-server the test kills: the gateway's own Redis (budgets,
 * limits) stays the machine's, so only the cache loses its backend.
 */
describe('response cache: its Redis stopped under load', () => {
  let isolation: Isolation;
  let upstream: FakeServer;
  let redis: PrivateRedis;
  let system: RunningSystem;
  let client: OpenAI;

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startFakeOpenAiUpstream();
    redis = await startPrivateRedis();
    system = await startSystem({
      isolation,
      config: `${fakeUpstreamConfig(upstream.url)}
litellm_settings:
  cache: true
  cache_params:
    type: redis
    host: ${redis.host}
    port: ${redis.port}
`,
      workers: [{ providers: 'openai,mock', environment: { FAKE_UPSTREAM_KEY: upstreamKey } }],
    });
    client = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: system.masterKey, maxRetries: 0 });
  });

  afterAll(async () => {
    await system?.stop();
    await redis?.stop();
    await upstream?.close();
    await isolation?.cleanup();
  });

  const ask = async (prompt: string) => {
    const startedAt = Date.now();
    const { data, response } = await client.chat.completions.create({ model: 'fake-ok', messages: [{ role: 'user', content: prompt }] }).withResponse();
    return { text: data.choices[0].message.content, hit: response.headers.get('x-litellm-cache-hit'), ms: Date.now() - startedAt };
  };

  it('answers every request from upstream while Redis is down (no error, no hang), and caches again once it is back', async () => {
    const hot = `hot ${Date.now()}`;
    await ask(hot);
    // The default lookup bound is 5 ms: on a loaded machine a hit may be missed, so a few tries.
    let hit = false;
    for (let i = 0; i < 20 && !hit; i += 1) hit = (await ask(hot)).hit === 'True';
    expect(hit).toBe(true);

    // Four clients keep asking; Redis dies in the middle.
    const results: Array<{ ok: boolean; ms: number }> = [];
    let stop = false;
    const load = Promise.all(
      Array.from({ length: 4 }, async (_, lane) => {
        let n = 0;
        while (!stop) {
          n += 1;
          try {
            const answer = await ask(n % 2 === 0 ? hot : `lane ${lane} ${n} ${Date.now()}`);
            results.push({ ok: answer.text === 'Hello from the fake upstream.', ms: answer.ms });
          } catch {
            results.push({ ok: false, ms: -1 });
          }
        }
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    await redis.kill();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    stop = true;
    await load;
    expect(results.length).toBeGreaterThan(20);
    expect(results.filter((result) => !result.ok)).toEqual([]);
    // No hang: the slowest request stays well under a second (the fake upstream answers at once).
    expect(Math.max(...results.map((result) => result.ms))).toBeLessThan(1_000);

    // Down: answered from upstream, marked as a miss.
    const down = await ask(hot);
    expect(down.text).toBe('Hello from the fake upstream.');
    expect(down.hit).toBe('False');

    // Back (empty): the client reconnects within about a second and caching resumes.
    await redis.restart();
    const again = `again ${Date.now()}`;
    let resumed = false;
    const deadline = Date.now() + 10_000;
    while (!resumed && Date.now() < deadline) {
      await ask(again);
      resumed = (await ask(again)).hit === 'True';
      if (!resumed) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(resumed).toBe(true);
    const ping = await fetch(`${system.baseUrl}/cache/ping`, { headers: { authorization: `Bearer ${system.masterKey}` } });
    expect(ping.status).toBe(200);
  });

  it('/cache/ping answers 503 while the cache backend is down', async () => {
    await redis.kill();
    const ping = await fetch(`${system.baseUrl}/cache/ping`, { headers: { authorization: `Bearer ${system.masterKey}` } });
    expect(ping.status).toBe(503);
    expect(ping.headers.get('x-request-id')).toBeTruthy();
    await redis.restart();
  });
});
