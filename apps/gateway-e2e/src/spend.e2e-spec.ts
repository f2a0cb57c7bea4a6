import pg from 'pg';
import { headers as natsHeaders, connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamName, usageSubjects } from '@switchboard/contracts';
import { createIsolation, startFakeOpenAiUpstream, startSystem } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';
import { manage, pricedUpstreamConfig } from './e2e-config';

const config = (upstream: string) =>
  pricedUpstreamConfig(
    upstream,
    `  - model_name: unpriced
    litellm_params:
      model: hosted_vllm/private-model
      api_base: ${upstream}/v1
`,
  );

interface SpendRow {
  request_id: string;
  cost: string;
  status: string;
  price_missing: boolean;
  prompt_tokens: number;
  cache_read_tokens: number;
}

describe('spend: every request priced once into the ledger', () => {
  let isolation: Isolation;
  let upstream: FakeServer;
  let system: RunningSystem;
  let client: OpenAI;

  const spendLogs = async (query = ''): Promise<SpendRow[]> =>
    (await fetch(`${system.baseUrl}/spend/logs?limit=1000${query}`, { headers: { authorization: `Bearer ${system.masterKey}` } })).json() as Promise<SpendRow[]>;

  const waitForRows = async (count: number): Promise<SpendRow[]> => {
    const deadline = Date.now() + 10_000;
    let rows: SpendRow[] = [];
    while (Date.now() < deadline) {
      rows = await spendLogs();
      if (rows.length >= count) return rows;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return rows;
  };

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startFakeOpenAiUpstream();
    system = await startSystem({
      isolation,
      config: config(upstream.url),
      workers: [{ providers: 'openai,hosted_vllm', environment: { SALT_KEY: 'spend-salt' } }],
      authEnvironment: { SALT_KEY: 'spend-salt' },
      budget: true,
    });
    client = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: system.masterKey, maxRetries: 0 });
  });

  afterAll(async () => {
    await system?.stop();
    await upstream?.close();
    await isolation?.cleanup();
  });

  it('prices cached and uncached tokens exactly and finds the row by request id', async () => {
    const { response } = await client.chat.completions.create({ model: 'priced', messages: [{ role: 'user', content: 'x' }] }).withResponse();
    const requestId = response.headers.get('x-request-id') ?? '';
    await waitForRows(1);
    const [row] = await spendLogs(`&request_id=${requestId}`);
    // 8 uncached x $0.000001 + 3 cached x $0.0000005 + 7 output x $0.000002
    expect(row).toMatchObject({ request_id: requestId, status: 'success', prompt_tokens: 11, cache_read_tokens: 3, cost: '0.000023500000', price_missing: false });
  });

  it('flags a model without a price instead of billing it silently at zero', async () => {
    const { response } = await client.chat.completions.create({ model: 'unpriced', messages: [{ role: 'user', content: 'x' }] }).withResponse();
    const requestId = response.headers.get('x-request-id') ?? '';
    await waitForRows(2);
    const [row] = await spendLogs(`&request_id=${requestId}`);
    expect(row).toMatchObject({ price_missing: true });
  });

  it('a usage event published three times and a poison event: the ledger charges once and keeps going', async () => {
    const connection = await connect({ servers: isolation.urls.natsUrl });
    const js = jetstream(connection);
    const event = {
      v: 1,
      requestId: 'req_triple',
      occurredAt: new Date().toISOString(),
      callType: 'chat',
      stream: false,
      status: 'success',
      provider: 'openai',
      modelGroup: 'priced',
      deploymentId: 'unknown',
      upstreamModel: 'gpt-4o',
      usage: { inputTokens: { total: 1000, noCache: 1000, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 100, text: 100, reasoning: 0 } },
      latencyMs: 5,
    };
    for (let index = 0; index < 3; index += 1) await js.publish(usageSubjects.recorded(isolation.namespace), JSON.stringify(event), { msgID: 'req_triple' });
    const poisonHeaders = natsHeaders();
    await js.publish(usageSubjects.recorded(isolation.namespace), '{"not":"an event"}', { msgID: 'poison-1', headers: poisonHeaders });
    const after = await client.chat.completions.create({ model: 'priced', messages: [{ role: 'user', content: 'after the poison' }] }).withResponse();
    await waitForRows(4);
    expect(await spendLogs('&request_id=req_triple')).toHaveLength(1);
    expect((await spendLogs(`&request_id=${after.response.headers.get('x-request-id')}`))).toHaveLength(1);
    // gpt-4o from the catalogue: 1,000 x $2.50/M + 100 x $10/M
    expect((await spendLogs('&request_id=req_triple'))[0].cost).toBe('0.003500000000');
    const manager = await jetstreamManager(connection);
    const deadline = Date.now() + 5_000;
    let dead = 0;
    while (dead === 0 && Date.now() < deadline) {
      dead = (await manager.streams.info(streamName(isolation.namespace, 'USAGE_DLQ'))).state.messages;
      if (dead === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(dead).toBe(1);
    await connection.close();
  });

  it('computes costs on demand with /spend/calculate', async () => {
    const response = await fetch(`${system.baseUrl}/spend/calculate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${system.masterKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'priced', completion_response: { usage: { prompt_tokens: 10, completion_tokens: 10 } } }),
    });
    expect(await response.json()).toEqual({ cost: 0.00003, cost_exact: '0.000030000000' });
  });

  it('reports daily spend per key from the daily aggregates, agreeing with the ledger', async () => {
    await waitForRows(2);
    const database = new pg.Client({ connectionString: isolation.databaseUrl });
    await database.connect();
    const ledger = await database.query<{ total: string }>("SELECT coalesce(sum(cost), 0)::text AS total FROM spend_ledger WHERE key_hash IS NOT NULL AND occurred_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'");
    await database.end();
    const ledgerTotal = Number(ledger.rows[0].total);
    expect(ledgerTotal).toBeGreaterThan(0);
    const today = new Date().toISOString().slice(0, 10);
    const headers = { authorization: `Bearer ${system.masterKey}` };
    const response = await fetch(`${system.baseUrl}/global/spend/report?start_date=${today}&end_date=${today}&group_by=api_key`, { headers });
    expect(response.status).toBe(200);
    const report = (await response.json()) as Array<{ group_by_day: string; api_keys: Array<{ api_key: string; total_spend: number; metadata: Array<{ model: string }> }> }>;
    expect(report).toHaveLength(1);
    expect(report[0].group_by_day).toBe(today);
    const total = report[0].api_keys.reduce((sum, entry) => sum + entry.total_spend, 0);
    expect(total).toBeCloseTo(ledgerTotal, 12);
    expect(report[0].api_keys[0].metadata.map((entry) => entry.model)).toContain('priced');
    const bad = await fetch(`${system.baseUrl}/global/spend/report?start_date=${today}&end_date=${today}&group_by=planet`, { headers });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { param: 'group_by' } });
  });

  it('prices a model stored in the database with its own prices', async () => {
    await manage(system, '/model/new', {
      model_name: 'db-priced',
      litellm_params: { model: 'openai/ok', api_base: `${upstream.url}/v1`, api_key: 'sk-upstream', input_cost_per_token: '0.00001', output_cost_per_token: '0.00002' },
      model_info: { id: 'db-priced-1' },
    });
    let requestId = '';
    let lastError = '';
    const deadline = Date.now() + 5_000;
    while (!requestId && Date.now() < deadline) {
      try {
        const { response } = await client.chat.completions.create({ model: 'db-priced', messages: [{ role: 'user', content: 'x' }] }).withResponse();
        requestId = response.headers.get('x-request-id') ?? '';
      } catch (error) {
        lastError = String(error);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    expect(requestId, lastError).not.toBe('');
    let row: SpendRow | undefined;
    await expect.poll(async () => ([row] = await spendLogs(`&request_id=${requestId}`)) && row !== undefined, { timeout: 10_000, interval: 100 }).toBe(true);
    // 11 prompt tokens x $0.00001 + 7 completion tokens x $0.00002 (no cache rate given: cached input at the input rate).
    expect(row).toMatchObject({ cost: '0.000250000000', price_missing: false });
  });

  it('answers the summary reports from the budget service and refuses a malformed filter naming it', async () => {
    const headers = { authorization: `Bearer ${system.masterKey}` };
    const models = (await (await fetch(`${system.baseUrl}/global/spend/models`, { headers })).json()) as Array<{ model: string; total_spend: number; requests: number; prompt_tokens: number }>;
    const priced = models.find((entry) => entry.model === 'priced');
    expect(priced).toMatchObject({ total_spend: expect.any(Number), requests: expect.any(Number), prompt_tokens: expect.any(Number) });
    expect(priced?.requests).toBeGreaterThanOrEqual(2);
    const keys = (await (await fetch(`${system.baseUrl}/global/spend/keys`, { headers })).json()) as Array<{ total_spend: number; requests: number }>;
    expect(keys.reduce((sum, entry) => sum + entry.requests, 0)).toBeGreaterThanOrEqual(priced?.requests ?? 0);
    const bad = await fetch(`${system.baseUrl}/spend/logs?start_date=yesterday-ish`, { headers });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-request-id')).toBeTruthy();
    expect(await bad.json()).toMatchObject({ error: { type: 'invalid_request_error', param: 'start_date' } });
    const badUsage = await fetch(`${system.baseUrl}/spend/calculate`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'priced', completion_response: { usage: { prompt_tokens: -1 } } }),
    });
    expect(badUsage.status).toBe(400);
    expect(await badUsage.json()).toMatchObject({ error: { param: 'completion_response.usage.prompt_tokens' } });
    const unknown = await fetch(`${system.baseUrl}/spend/calculate`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'no-such-model', completion_response: { usage: { prompt_tokens: 1 } } }),
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { param: 'model' } });
  });

  it('without the budget service, spend routes answer 503 in OpenAI error JSON at once, and chat goes on', async () => {
    const budget = system.processes.find((service) => service.name === 'budget');
    await budget?.stop();
    const headers = { authorization: `Bearer ${system.masterKey}` };
    const started = Date.now();
    for (const path of ['/spend/logs', '/global/spend/models', '/spend/tags']) {
      const response = await fetch(`${system.baseUrl}${path}`, { headers });
      expect(response.status, path).toBe(503);
      expect(response.headers.get('x-request-id')).toBeTruthy();
      expect(await response.json()).toMatchObject({ error: { message: 'The budget service is unavailable; spend reports need it' } });
    }
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect(client.chat.completions.create({ model: 'priced', messages: [{ role: 'user', content: 'still here' }] })).resolves.toMatchObject({ object: 'chat.completion' });
  });
});
