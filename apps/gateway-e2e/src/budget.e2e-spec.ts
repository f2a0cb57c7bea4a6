import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation, startFakeOpenAiUpstream, startSystem } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';
import { pricedUpstreamConfig } from './e2e-config';

// Each request reserves its maximum cost (5 estimated prompt tokens x $0.000001 + max_tokens 10 x $0.000002 =
// $0.000025), so a $0.0001 budget has room for 4 requests in flight; each really costs $0.0000235 (the fake
// upstream reports 11 prompt tokens, 3 of them cached, and 7 completion tokens).
const config = (upstream: string) => pricedUpstreamConfig(upstream, 'litellm_settings:\n  max_budget: 0.0001\n  budget_duration: 1h\n');

describe('the global proxy budget holds under concurrency', () => {
  let admittedInAll = 0;
  let isolation: Isolation;
  let upstream: FakeServer;
  let system: RunningSystem;

  const call = () =>
    fetch(`${system.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${system.masterKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'priced', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }),
    });

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startFakeOpenAiUpstream();
    system = await startSystem({ isolation, config: config(upstream.url), workers: [{ providers: 'openai' }] });
  });

  afterAll(async () => {
    await system?.stop();
    await upstream?.close();
    await isolation?.cleanup();
  });

  it('admits at most what the budget holds, refuses the rest with 429 budget_exceeded and x-should-retry: false', async () => {
    const before = upstream.requests.length;
    const responses = await Promise.all(Array.from({ length: 20 }, () => call()));
    const admitted = responses.filter((response) => response.status === 200);
    const refused = responses.filter((response) => response.status === 429);
    admittedInAll += admitted.length;
    expect(admitted.length).toBeGreaterThanOrEqual(1);
    expect(admitted.length).toBeLessThanOrEqual(4);
    expect(admitted.length + refused.length).toBe(20);
    expect(upstream.requests.length - before).toBe(admitted.length);
    expect(refused[0].headers.get('x-should-retry')).toBe('false');
    expect(await refused[0].json()).toMatchObject({ error: { type: 'budget_exceeded', code: 'budget_exceeded' } });
  });

  it('settles real costs: spend never passes the budget by more than one request', async () => {
    for (let index = 0; index < 10; index += 1) {
      const response = await call();
      if (response.status === 200) admittedInAll += 1;
      await response.arrayBuffer();
    }
    // Spend = admitted x $0.0000235 must stay within the $0.0001 budget plus at most one request.
    expect(admittedInAll * 0.0000235).toBeLessThanOrEqual(0.0001 + 0.0000235);
    expect(admittedInAll).toBeGreaterThanOrEqual(4);
  });
});
