import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation, startFakeOpenAiUpstream, startSystem } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';
import { pricedUpstreamConfig } from './e2e-config';

// Each request reserves its maximum cost (5 estimated prompt tokens x $0.000001 + max_tokens 10 x $0.000002 =
// $0.000025); each really costs $0.0000235 (the fake upstream reports 11 prompt tokens, 3 of them cached, and 7
// completion tokens). The proxy budget is refused above max_budget (LiteLLM), so a $0.0001 budget admits requests
// while recorded spend plus the reservations in flight are at most $0.0001: 5 at once (the 5th over-commits it).
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
    system = await startSystem({ isolation, config: config(upstream.url), workers: [{ providers: 'openai' }], budget: true });
  });

  afterAll(async () => {
    await system?.stop();
    await upstream?.close();
    await isolation?.cleanup();
  });

  it('admits at most what the budget holds; the rest is reserved by requests in flight: 429 with retry-after', async () => {
    const before = upstream.requests.length;
    const responses = await Promise.all(Array.from({ length: 20 }, () => call()));
    const admitted = responses.filter((response) => response.status === 200);
    const refused = responses.filter((response) => response.status === 429);
    admittedInAll += admitted.length;
    expect(admitted.length).toBeGreaterThanOrEqual(1);
    expect(admitted.length).toBeLessThanOrEqual(5);
    expect(admitted.length + refused.length).toBe(20);
    expect(upstream.requests.length - before).toBe(admitted.length);
    expect(refused[0].headers.get('retry-after')).toBe('1');
    expect(await refused[0].json()).toMatchObject({ error: { type: 'rate_limit_error', message: expect.stringContaining('reserved by requests in flight') } });
  });

  it("settles real costs: spend never passes the budget by more than one request, then LiteLLM's 400 budget_exceeded", async () => {
    let refusal: Response | undefined;
    for (let index = 0; index < 10; index += 1) {
      const response = await call();
      if (response.status === 200) admittedInAll += 1;
      else refusal ??= response;
      if (response !== refusal) await response.arrayBuffer();
    }
    // Spend = admitted x $0.0000235 must stay within the $0.0001 budget plus at most one request.
    expect(admittedInAll * 0.0000235).toBeLessThanOrEqual(0.0001 + 0.0000235);
    expect(admittedInAll).toBeGreaterThanOrEqual(4);
    expect(refusal?.status).toBe(400);
    expect(refusal?.headers.get('x-should-retry')).toBe('false');
    expect(await refusal?.json()).toMatchObject({
      error: { type: 'budget_exceeded', code: 'budget_exceeded', message: `Budget has been exceeded! Current cost: ${(admittedInAll * 23_500) / 1e9}, Max budget: 0.0001` },
    });
  });
});
