import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwitchboardNatsClient, SwitchboardNatsError } from '@switchboard/sdk';
import { createIsolation, startFakeOpenAiUpstream, startSystem } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';
import { manage, pricedUpstreamConfig } from './e2e-config';

// Each request (max_tokens 10) reserves $0.000025 and really costs $0.0000235 (see e2e-config.ts).
const cost = 0.0000235;
type Json = Record<string, unknown>;

describe("budgets as LiteLLM enforces them, remembered across regeneration, budget_duration changes and a Redis loss", () => {
  let isolation: Isolation;
  let upstream: FakeServer;
  let system: RunningSystem;
  let connection: NatsConnection;
  let redis: Redis;

  const admin = (path: string, body: Json) => manage(system, path, body);
  const info = async (key: string, caller = system.masterKey) => {
    const response = await fetch(`${system.baseUrl}/key/info?key=${encodeURIComponent(key)}`, { headers: { authorization: `Bearer ${caller}` } });
    expect(response.status).toBe(200);
    return ((await response.json()) as { info: Json }).info;
  };
  const openai = (key: string) => new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: key, maxRetries: 0 });
  const chat = (key: string) => openai(key).chat.completions.create({ model: 'priced', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
  /** The error a refused call throws (the OpenAI SDK's class carries status, type and message). */
  const refusal = async (key: string) => {
    const error = await chat(key).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error, 'the call should have been refused').toBeInstanceOf(OpenAI.APIError);
    return error as InstanceType<typeof OpenAI.APIError>;
  };
  const overNats = (key: string) =>
    new SwitchboardNatsClient(connection, { apiKey: key, prefix: isolation.subjectPrefix }).chat.completions
      .create({ model: 'priced', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
      .then(
        () => undefined,
        (caught: unknown) => caught as SwitchboardNatsError,
      );
  /** Waits until the budget service's ledger holds the key's spend (what a seed reads). */
  const recorded = (key: string, spend: number) => expect.poll(async () => Number((await info(key)).spend), { timeout: 10_000, interval: 100 }).toBeCloseTo(spend, 12);

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startFakeOpenAiUpstream();
    system = await startSystem({ isolation, config: pricedUpstreamConfig(upstream.url), workers: [{ providers: 'openai' }], budget: true });
    connection = await connect({ servers: isolation.urls.natsUrl });
    redis = new Redis(isolation.urls.redisUrl);
  });

  afterAll(async () => {
    redis?.disconnect();
    await connection?.close();
    await system?.stop();
    await upstream?.close();
    await isolation?.cleanup();
  });

  it("a key at 90 % of its budget is admitted; once the budget is crossed, 400 budget_exceeded with LiteLLM's message on HTTP and NATS", async () => {
    const maxBudget = (cost * 10) / 9;
    const { key } = (await admin('/key/generate', { max_budget: maxBudget })) as { key: string };
    await chat(key);
    // Spend is now 90 % of the budget, and the next request's estimate ($0.000025) is more than what is left: admitted all the same.
    const crossing = await chat(key);
    expect(crossing.choices[0].message.content).toBeTruthy();
    const refused = await refusal(key);
    expect(refused.status).toBe(400);
    expect(refused.type).toBe('budget_exceeded');
    // Floats as LiteLLM (Python) writes them: 4.7e-05, 2.6111111111111112e-05.
    expect(refused.message).toMatch(/Budget has been exceeded! Current cost: 4\.7e-05, Max budget: 2\.6111+\d*e-05$/);
    expect(refused.headers?.get('x-should-retry')).toBe('false');
    const nats = await overNats(key);
    expect(nats).toBeInstanceOf(SwitchboardNatsError);
    expect(nats).toMatchObject({ status: 400, type: 'budget_exceeded', code: 'budget_exceeded' });
    expect((nats as SwitchboardNatsError).message).toContain('Budget has been exceeded! Current cost: 4.7e-05');
  });

  it('keys are refused at spend == max_budget; users only above it, with their own message', async () => {
    const { key } = (await admin('/key/generate', { max_budget: cost })) as { key: string };
    await chat(key);
    const keyRefusal = await refusal(key);
    expect(keyRefusal.status).toBe(400);
    expect(keyRefusal.message).toContain('Budget has been exceeded! Current cost: 2.35e-05, Max budget: 2.35e-05');

    const userId = `user-at-max-${isolation.id}`;
    await admin('/user/new', { user_id: userId, max_budget: cost, auto_create_key: false });
    const { key: userKey } = (await admin('/key/generate', { user_id: userId })) as { key: string };
    await chat(userKey);
    // Spend == max_budget: a user is still under it.
    await chat(userKey);
    const userRefusal = await refusal(userKey);
    expect(userRefusal.status).toBe(400);
    expect(userRefusal.type).toBe('budget_exceeded');
    expect(userRefusal.message).toContain(`ExceededBudget: User=${userId} over budget. Spend=4.7e-05, Budget=2.35e-05`);
  });

  it('a spent key stays refused after its owner regenerates it, and /key/info spend carries on', async () => {
    const userId = `owner-${isolation.id}`;
    await admin('/user/new', { user_id: userId, auto_create_key: false });
    const { key } = (await admin('/key/generate', { user_id: userId, max_budget: cost, budget_duration: '1d' })) as { key: string };
    await chat(key);
    expect((await refusal(key)).status).toBe(400);
    await recorded(key, cost);
    const before = await info(key);

    const response = await fetch(`${system.baseUrl}/key/regenerate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key }),
    });
    expect(response.status).toBe(200);
    const regenerated = (await response.json()) as { key: string };
    expect(regenerated.key).not.toBe(key);
    const refused = await refusal(regenerated.key);
    expect(refused.status).toBe(400);
    expect(refused.message).toContain('Budget has been exceeded! Current cost: 2.35e-05, Max budget: 2.35e-05');
    const after = await info(regenerated.key);
    expect(Number(after.spend)).toBeCloseTo(cost, 12);
    expect(after.budget_reset_at).toBe(before.budget_reset_at);
  });

  it('a spent key stays refused after budget_duration changes; the running period ends at now + the new duration', async () => {
    const { key } = (await admin('/key/generate', { max_budget: cost, budget_duration: '1h' })) as { key: string };
    const created = Date.parse(String((await info(key)).budget_reset_at)) - 3_600_000;
    expect(Math.abs(created - Date.now())).toBeLessThan(60_000);
    await chat(key);
    expect((await refusal(key)).status).toBe(400);
    const changedAt = Date.now();
    await admin('/key/update', { key, budget_duration: '7d' });
    const refused = await refusal(key);
    expect(refused.status).toBe(400);
    expect(refused.message).toContain('Current cost: 2.35e-05');
    const resetAt = Date.parse(String((await info(key)).budget_reset_at));
    expect(resetAt).toBeGreaterThanOrEqual(changedAt + 7 * 86_400_000 - 1_000);
    expect(resetAt).toBeLessThanOrEqual(Date.now() + 7 * 86_400_000 + 1_000);
  });

  it("with this system's Redis counters deleted (a Redis loss), spent budgets are still refused: their spend is seeded from the ledger", async () => {
    const { key } = (await admin('/key/generate', { max_budget: cost, budget_duration: '1d' })) as { key: string };
    const userId = `lost-${isolation.id}`;
    await admin('/user/new', { user_id: userId, max_budget: cost, auto_create_key: false });
    const { key: userKey } = (await admin('/key/generate', { user_id: userId })) as { key: string };
    await chat(key);
    await chat(userKey);
    await chat(userKey);
    await recorded(key, cost);
    await recorded(userKey, 2 * cost);

    const counters = await redis.keys(`${isolation.redisKeyPrefix}*`);
    expect(counters.some((name) => name.includes(':budget:'))).toBe(true);
    await redis.del(...counters);
    expect(await redis.keys(`${isolation.redisKeyPrefix}*budget*`)).toEqual([]);

    const upstreamCalls = upstream.requests.length;
    const keyRefusal = await refusal(key);
    expect(keyRefusal.status).toBe(400);
    expect(keyRefusal.message).toContain('Budget has been exceeded! Current cost: 2.35e-05, Max budget: 2.35e-05');
    const userRefusal = await refusal(userKey);
    expect(userRefusal.status).toBe(400);
    expect(userRefusal.message).toContain(`ExceededBudget: User=${userId} over budget. Spend=4.7e-05, Budget=2.35e-05`);
    expect(upstream.requests.length).toBe(upstreamCalls);
  });

  it('max_parallel_requests: 0 refuses every request with 429, on HTTP and NATS', async () => {
    const { key } = (await admin('/key/generate', { max_parallel_requests: 0 })) as { key: string };
    const upstreamCalls = upstream.requests.length;
    const refused = await refusal(key);
    expect(refused.status).toBe(429);
    expect(refused.message).toContain('max_parallel_requests: 0');
    expect(await overNats(key)).toMatchObject({ status: 429 });
    expect(upstream.requests.length).toBe(upstreamCalls);
  });

  it('with the ledger unreachable, a budget whose counter is missing is refused with 503 (never admitted blind); live budgets go on', async () => {
    const { key: live } = (await admin('/key/generate', { max_budget: 1 })) as { key: string };
    await chat(live);
    const budget = system.processes.find((service) => service.name === 'budget');
    expect(budget?.running).toBe(true);
    await budget?.stop();
    const { key: fresh } = (await admin('/key/generate', { max_budget: 1 })) as { key: string };
    const upstreamCalls = upstream.requests.length;
    const started = Date.now();
    const refused = await refusal(fresh);
    expect(refused.status).toBe(503);
    expect(refused.message).toContain('could not be read from the ledger');
    expect(refused.headers?.get('retry-after')).toBe('1');
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(upstream.requests.length).toBe(upstreamCalls);
    // A budget whose period counter is in Redis needs no ledger: admitted as before.
    expect((await chat(live)).choices[0].message.content).toBeTruthy();
  });
});
