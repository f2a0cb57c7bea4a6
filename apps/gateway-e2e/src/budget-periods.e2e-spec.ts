import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation, sendJson, startFakeOpenAiUpstream, startFakeServer, startSystem } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';
import { manage, pricedUpstreamConfig } from './e2e-config';

// Each request reserves $0.000025 and really costs $0.0000235 (see key-limits.e2e-spec.ts).
const reservedPerRequest = 0.000025;
const config = (upstream: string) => pricedUpstreamConfig(upstream, 'general_settings:\n  alerting: ["webhook"]\n');

type Json = Record<string, unknown>;

describe('budget periods, soft-budget alerts and a database outage', () => {
  let isolation: Isolation;
  let upstream: FakeServer;
  let webhook: FakeServer;
  let system: RunningSystem;

  const admin = (path: string, body: Json) => manage(system, path, body);
  const call = async (key: string) => {
    const response = await fetch(`${system.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'priced', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }),
    });
    await response.arrayBuffer();
    return response.status;
  };

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startFakeOpenAiUpstream();
    webhook = await startFakeServer((_request, response) => sendJson(response, 200, {}));
    system = await startSystem({
      isolation,
      config: config(upstream.url),
      workers: [{ providers: 'openai' }],
      budget: true,
      logging: { WEBHOOK_URL: `${webhook.url}/alerts`, CALLBACK_TIMEOUT_MS: '2000' },
    });
  });

  afterAll(async () => {
    await system?.stop();
    await Promise.all([upstream?.close(), webhook?.close()]);
    await isolation?.cleanup();
  });

  it('a budget resets at its budget_reset_at: periods start when the key was created and follow every budget_duration', async () => {
    const { key } = (await admin('/key/generate', { max_budget: reservedPerRequest, budget_duration: '3s' })) as { key: string };
    const resetAt = async () => {
      const response = await fetch(`${system.baseUrl}/key/info?key=${key}`, { headers: { authorization: `Bearer ${system.masterKey}` } });
      return Date.parse(String(((await response.json()) as { info: Json }).info.budget_reset_at));
    };
    const firstReset = await resetAt();
    expect(firstReset - Date.now()).toBeGreaterThan(2_000);
    expect(firstReset - Date.now()).toBeLessThanOrEqual(3_000);
    // $0.0000235 of $0.000025 is under the budget: a second request is admitted, the third is refused.
    expect(await call(key)).toBe(200);
    expect(await call(key)).toBe(200);
    expect(await call(key)).toBe(400);
    expect(Date.now()).toBeLessThan(firstReset);
    await new Promise((resolve) => setTimeout(resolve, firstReset - Date.now() + 50));
    expect(await resetAt()).toBe(firstReset + 3_000);
    expect(await call(key)).toBe(200);
  });

  it('crossing a soft budget raises one alert per period, delivered to the alerting webhook', async () => {
    const { key, token } = (await admin('/key/generate', { key_alias: 'soft', soft_budget: 0.00004, max_budget: 1, budget_duration: '1d' })) as { key: string; token: string };
    for (let index = 0; index < 5; index += 1) expect(await call(key)).toBe(200);
    await expect.poll(() => webhook.requests.filter((request) => request.url === '/alerts').length, { timeout: 5_000, interval: 100 }).toBe(1);
    const alert = JSON.parse(webhook.requests.find((request) => request.url === '/alerts')?.body ?? '{}') as Json;
    expect(alert).toMatchObject({ event: 'soft_budget_crossed', event_group: 'key', token, key_alias: 'soft', soft_budget: 0.00004, max_budget: 1 });
    expect(Number(alert.spend)).toBeGreaterThanOrEqual(0.00004);
    // More spend in the same period raises nothing more.
    for (let index = 0; index < 3; index += 1) expect(await call(key)).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(webhook.requests.filter((request) => request.url === '/alerts')).toHaveLength(1);
  });

  it('with the database unreachable, requests go on and their usage reaches the ledger when it returns: none lost, none doubled', async () => {
    const { key, token } = (await admin('/key/generate', { max_budget: 1 })) as { key: string; token: string };
    // A budgeted key not used yet: its counter is not in Redis, so its first request must read the ledger.
    const { key: unseeded } = (await admin('/key/generate', { max_budget: 1 })) as { key: string };
    expect((await fetch(`${system.baseUrl}/key/info?key=${unseeded}`, { headers: { authorization: `Bearer ${unseeded}` } })).status).toBe(200);
    expect(await call(key)).toBe(200);
    const server = new pg.Client({ connectionString: isolation.urls.databaseUrl });
    await server.connect();
    let served = 1;
    try {
      // Cut this test's database off (other sessions share the server): refuse new connections, drop the open ones.
      await server.query(`ALTER DATABASE "${isolation.databaseName}" ALLOW_CONNECTIONS false`);
      await server.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [isolation.databaseName]);
      const probe = new pg.Client({ connectionString: isolation.databaseUrl });
      await expect(probe.connect()).rejects.toThrow(/not currently accepting connections/);
      for (let index = 0; index < 10; index += 1) {
        expect(await call(key)).toBe(200);
        served += 1;
      }
      // Postgres unreachable when a counter must be seeded: refused (503, retry-after), never admitted blind.
      const started = Date.now();
      expect(await call(unseeded)).toBe(503);
      expect(Date.now() - started).toBeLessThan(4_000);
    } finally {
      await server.query(`ALTER DATABASE "${isolation.databaseName}" ALLOW_CONNECTIONS true`);
      await server.end();
    }
    const database = new pg.Client({ connectionString: isolation.databaseUrl });
    await database.connect();
    try {
      let rows = 0;
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        rows = (await database.query<{ count: number }>('SELECT count(*)::int AS count FROM spend_ledger WHERE key_hash = $1', [token])).rows[0].count;
        if (rows >= served) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(rows, system.processes.map((service) => `--- ${service.name} running=${service.running}\n${service.logs().slice(-3000)}`).join('\n')).toBe(served);
      const distinct = await database.query<{ count: number }>('SELECT count(DISTINCT request_id)::int AS count FROM spend_ledger WHERE key_hash = $1', [token]);
      expect(distinct.rows[0].count).toBe(served);
    } finally {
      await database.end();
    }
  });
});
