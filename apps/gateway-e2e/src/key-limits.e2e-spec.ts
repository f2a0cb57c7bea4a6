import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwitchboardNatsClient, SwitchboardNatsError } from '@switchboard/sdk';
import { streamName, usageSubjects } from '@switchboard/contracts';
import { createIsolation, freePort, startFakeOpenAiUpstream, startSystem } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';
import { pricedUpstreamConfig } from './e2e-config';

// Each request reserves its maximum cost (5 estimated prompt tokens x $0.000001 + max_tokens 10 x $0.000002 =
// $0.000025) and really costs $0.0000235 (the fake upstream reports 11 prompt tokens, 3 cached, 7 completion).
const reservedPerRequest = 0.000025;
const costPerRequest = 0.0000235;
const config = (upstream: string) =>
  pricedUpstreamConfig(
    upstream,
    `  - model_name: slow
    litellm_params:
      model: openai/slow-ok
      api_base: ${upstream}/v1
      api_key: sk-upstream
`,
  );

type Json = Record<string, unknown>;

/** The sum of every sample of one series in Prometheus text whose labels include `labels`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  return text
    .split('\n')
    .filter((line) => (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) && Object.entries(labels).every(([label, value]) => line.includes(`${label}="${value}"`)))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}
const scrape = async (url: string) => {
  const response = await fetch(url);
  expect(response.status, url).toBe(200);
  return response.text();
};

describe('budgets and rate limits of virtual keys, teams and users', () => {
  let isolation: Isolation;
  let upstream: FakeServer;
  let system: RunningSystem;
  let second: { baseUrl: string; metricsUrl: string };
  let budgetMetricsUrl: string;
  let connection: NatsConnection;

  const admin = async (path: string, body?: Json) => {
    const response = await fetch(`${system.baseUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${system.masterKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.status, path).toBe(200);
    return (await response.json()) as Json;
  };
  const call = (key: string, model = 'priced', baseUrl = system.baseUrl) =>
    fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }),
    });

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startFakeOpenAiUpstream();
    // A loaded CI machine can delay a Redis reply past the 100 ms production bound; this file tests money, not that bound.
    const budgetMetricsPort = await freePort();
    budgetMetricsUrl = `http://127.0.0.1:${budgetMetricsPort}/metrics`;
    system = await startSystem({
      isolation,
      config: config(upstream.url),
      workers: [{ providers: 'openai' }],
      budget: true,
      budgetEnvironment: { METRICS_PORT: String(budgetMetricsPort), METRICS_HOST: '127.0.0.1' },
      gatewayEnvironment: { REDIS_COMMAND_TIMEOUT_MS: '1000' },
    });
    second = await system.startGateway();
    connection = await connect({ servers: isolation.urls.natsUrl });
  });

  afterAll(async () => {
    await connection?.close();
    await system?.stop();
    await upstream?.close();
    await isolation?.cleanup();
  });

  it('100 concurrent requests against a key whose budget admits 20: at most 20 succeed, settled spend within the budget', async () => {
    // Room for exactly 20 requests at their real cost. A request is admitted while recorded spend plus the
    // reservations in flight are under max_budget, and reserves its whole estimate even past it, so at most one
    // admitted request at a time runs without full cover: spend ends within max_budget plus one request's cost.
    const maxBudget = 20 * costPerRequest;
    const { key, token } = (await admin('/key/generate', { max_budget: maxBudget, budget_duration: '1h' })) as { key: string; token: string };
    const before = upstream.requests.length;
    const responses = await Promise.all(Array.from({ length: 100 }, (_, index) => call(key, 'priced', index % 2 ? second.baseUrl : system.baseUrl)));
    const admitted = responses.filter((response) => response.status === 200).length;
    // 429: the budget's rest was reserved by requests in flight (retry); 400: its recorded spend reached max_budget.
    const reserved = responses.filter((response) => response.status === 429);
    const exceeded = responses.filter((response) => response.status === 400);
    expect(admitted).toBeGreaterThanOrEqual(1);
    // With these prices exactly 20 fit: s settled and f in flight admit one more only while 23.5 s + 25 f < 470 (micro-dollars).
    expect(admitted).toBeLessThanOrEqual(20);
    const others = responses.filter((response) => ![200, 400, 429].includes(response.status));
    expect(others.map((response) => response.status), others.length ? await others[0].text() : '').toEqual([]);
    expect(admitted + reserved.length + exceeded.length).toBe(100);
    expect(upstream.requests.length - before).toBe(admitted);
    expect(reserved.length).toBeGreaterThan(0);
    expect(reserved[0].headers.get('retry-after')).toBe('1');
    expect(await reserved[0].json()).toMatchObject({ error: { type: 'rate_limit_error', message: expect.stringContaining('reserved by requests in flight') } });
    for (const refusal of exceeded.slice(0, 1)) {
      expect(refusal.headers.get('x-should-retry')).toBe('false');
      expect(await refusal.json()).toMatchObject({ error: { type: 'budget_exceeded', message: expect.stringMatching(/^Budget has been exceeded! Current cost: [\d.e-]+, Max budget: 0\.00047$/) } });
    }
    await Promise.all(responses.map((response) => response.arrayBuffer().catch(() => undefined)));

    // The ledger (budget service) and /key/info agree with the priced usage within seconds.
    const database = new pg.Client({ connectionString: isolation.databaseUrl });
    await database.connect();
    try {
      let ledger = { count: 0, total: 0 };
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        const result = await database.query<{ count: number; total: string | null }>("SELECT count(*)::int AS count, sum(cost) AS total FROM spend_ledger WHERE key_hash = $1 AND status = 'success'", [token]);
        ledger = { count: result.rows[0].count, total: Number(result.rows[0].total ?? 0) };
        if (ledger.count === admitted) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(ledger.count).toBe(admitted);
      // Every request, refused ones included, has exactly one usage record.
      let all = 0;
      while (Date.now() < deadline + 5_000) {
        all = (await database.query<{ count: number }>('SELECT count(DISTINCT request_id)::int AS count FROM spend_ledger WHERE key_hash = $1', [token])).rows[0].count;
        if (all >= 100) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(all).toBe(100);
      const rows = (await database.query<{ count: number }>('SELECT count(*)::int AS count FROM spend_ledger WHERE key_hash = $1', [token])).rows[0].count;
      expect(rows).toBe(100);
      expect(ledger.total).toBeCloseTo(admitted * costPerRequest, 12);
      expect(ledger.total).toBeLessThanOrEqual(maxBudget + 1e-12);
      process.stdout.write(`100 concurrent on a $${maxBudget} key across two gateways: ${admitted} admitted, ${reserved.length} 429 (reserved in flight), ${exceeded.length} 400 (spent); ledger $${ledger.total.toFixed(7)}\n`);
      const info = await admin(`/key/info?key=${key}`);
      expect((info.info as Json).spend).toBeCloseTo(ledger.total, 12);
    } finally {
      await database.end();
    }
  });

  it("a team's budget holds for every key of the team", async () => {
    const team = await admin('/team/new', { team_alias: 'small', max_budget: 2 * reservedPerRequest });
    const { key } = (await admin('/key/generate', { team_id: team.team_id })) as { key: string };
    const statuses = [];
    for (let index = 0; index < 4; index += 1) {
      const response = await call(key);
      statuses.push(response.status);
      await response.arrayBuffer();
    }
    // LiteLLM refuses a team only once its spend exceeds max_budget: $0.000047 of $0.00005 is still under it.
    expect(statuses).toEqual([200, 200, 200, 400]);
    const refused = await call(key);
    expect(await refused.json()).toMatchObject({ error: { type: 'budget_exceeded', message: `Budget has been exceeded! Team=${String(team.team_id)} Current cost: 7.05e-05, Max budget: 5e-05` } });
  });

  it('rpm_limit holds across two gateway instances and the NATS API, with x-ratelimit headers and retry-after', async () => {
    const { key } = (await admin('/key/generate', { rpm_limit: 5 })) as { key: string };
    const nats = new SwitchboardNatsClient(connection, { apiKey: key, prefix: isolation.subjectPrefix });
    const first = await call(key);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit-requests')).toBe('5');
    expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('4');
    expect(Number(first.headers.get('x-litellm-response-cost'))).toBeCloseTo(costPerRequest, 12);
    expect(first.headers.get('x-litellm-key-spend')).toBe('0');
    await first.arrayBuffer();
    expect((await call(key, 'priced', second.baseUrl)).status).toBe(200);
    await nats.chat.completions.create({ model: 'priced', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
    expect((await call(key, 'priced', second.baseUrl)).status).toBe(200);
    await nats.chat.completions.create({ model: 'priced', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
    const refused = await call(key);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ error: { type: 'rate_limit_error', message: expect.stringContaining('rpm_limit 5') } });
    const overNats = await nats.chat.completions.create({ model: 'priced', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((error: unknown) => error);
    expect(overNats).toBeInstanceOf(SwitchboardNatsError);
    expect((overNats as SwitchboardNatsError).status).toBe(429);
  });

  it('tpm_limit refuses once the minute holds the limit in real tokens', async () => {
    const { key } = (await admin('/key/generate', { tpm_limit: 30 })) as { key: string };
    const statuses: number[] = [];
    for (let index = 0; index < 6 && !statuses.includes(429); index += 1) {
      const response = await call(key);
      statuses.push(response.status);
      if (response.status === 429) expect(await response.json()).toMatchObject({ error: { message: expect.stringContaining('tpm_limit 30') } });
      else await response.arrayBuffer();
    }
    // 18 tokens per request: the first two fit under 30, and once their tokens are recorded (at settlement, just after
    // each answer) the window holds 36: refused from the third request on, the fourth at the latest.
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.length).toBeLessThanOrEqual(4);
  });

  it('max_parallel_requests refuses a request beyond the slots in flight, and frees the slot after', async () => {
    const { key } = (await admin('/key/generate', { max_parallel_requests: 1 })) as { key: string };
    const slow = call(key, 'slow');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const concurrent = await call(key, 'slow', second.baseUrl);
    expect(concurrent.status).toBe(429);
    expect((await slow).status).toBe(200);
    const after = await call(key, 'slow');
    expect(after.status).toBe(200);
  });

  it('per-model budgets on a key (model_max_budget) refuse only that model', async () => {
    const { key } = (await admin('/key/generate', { key_alias: `per-model-${isolation.id}`, model_max_budget: { priced: { budget_limit: reservedPerRequest, time_period: '1d' } } })) as { key: string };
    expect((await call(key)).status).toBe(200);
    // Refused once the model's spend exceeds its budget_limit (LiteLLM's `>`): $0.0000235 of $0.000025 is under it.
    expect((await call(key)).status).toBe(200);
    const refused = await call(key);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { type: 'budget_exceeded', message: `LiteLLM Virtual Key: sk-...${key.slice(-4)}, key_alias: per-model-${isolation.id}, exceeded budget for model=priced` } });
    expect((await call(key, 'slow')).status).toBe(200);
  });

  it("customers (the request's user or x-litellm-customer-id): blocked ones get 403, budgeted ones are held to their budget", async () => {
    const { key } = (await admin('/key/generate', {})) as { key: string };
    await admin('/customer/new', { user_id: 'acme', max_budget: reservedPerRequest, budget_duration: '1d' });
    await admin('/customer/new', { user_id: 'spammer', blocked: true });
    const asCustomer = (customer: string, header = false) =>
      fetch(`${system.baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(header ? { 'x-litellm-customer-id': customer } : {}) },
        body: JSON.stringify({ model: 'priced', max_tokens: 10, messages: [{ role: 'user', content: 'x' }], ...(header ? {} : { user: customer }) }),
      });
    const blocked = await asCustomer('spammer');
    expect(blocked.status).toBe(403);
    expect(await blocked.json()).toMatchObject({ error: { param: 'user', message: expect.stringContaining('blocked') } });
    expect((await asCustomer('spammer', true)).status).toBe(403);
    await admin('/customer/unblock', { user_ids: ['spammer'] });
    await expect.poll(async () => (await asCustomer('spammer')).status, { timeout: 2_000, interval: 50 }).toBe(200);
    expect((await asCustomer('acme', true)).status).toBe(200);
    expect((await asCustomer('acme')).status).toBe(200);
    const overBudget = await asCustomer('acme');
    expect(overBudget.status).toBe(400);
    expect(await overBudget.json()).toMatchObject({ error: { type: 'budget_exceeded', message: 'ExceededBudget: End User=acme over budget. Spend=4.7e-05, Budget=2.5e-05' } });
    expect((await asCustomer('someone-unknown')).status).toBe(200);
  });

  it('the gateways count admission refusals by reason and edge, apart from the requests they answered', async () => {
    const gateways = async () => (await Promise.all([system.gatewayMetricsUrl, second.metricsUrl].map(scrape))).join('\n');
    const before = await gateways();
    const grew = (after: string, name: string, labels: Record<string, string> = {}) => sample(after, name, labels) - sample(before, name, labels);
    const { key } = (await admin('/key/generate', { rpm_limit: 1 })) as { key: string };
    const nats = new SwitchboardNatsClient(connection, { apiKey: key, prefix: isolation.subjectPrefix });
    expect((await call(key)).status).toBe(200);
    expect((await call(key)).status).toBe(429);
    const overNats = await nats.chat.completions.create({ model: 'priced', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((error: unknown) => error);
    expect((overNats as SwitchboardNatsError).status).toBe(429);
    const budgeted = (await admin('/key/generate', { model_max_budget: { priced: { budget_limit: reservedPerRequest, time_period: '1d' } } })) as { key: string };
    expect((await call(budgeted.key)).status).toBe(200);
    expect((await call(budgeted.key)).status).toBe(200);
    expect((await call(budgeted.key)).status).toBe(400);
    await admin('/customer/new', { user_id: 'metrics-blocked', blocked: true });
    const blocked = await fetch(`${system.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'x-litellm-customer-id': 'metrics-blocked' },
      body: JSON.stringify({ model: 'priced', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(blocked.status).toBe(403);

    const rejections = 'switchboard_admission_rejections_total';
    await expect.poll(async () => grew(await gateways(), rejections), { timeout: 2_000, interval: 50 }).toBe(4);
    const after = await gateways();
    expect(grew(after, rejections, { route: 'chat', model_group: 'priced', reason: 'rate_limited' })).toBe(1);
    expect(grew(after, rejections, { route: 'nats_chat', model_group: 'priced', reason: 'rate_limited' })).toBe(1);
    expect(grew(after, rejections, { route: 'chat', model_group: 'priced', reason: 'budget_exceeded' })).toBe(1);
    expect(grew(after, rejections, { route: 'chat', model_group: 'priced', reason: 'permission_denied' })).toBe(1);
    // Refused requests are not answered requests: only the three admitted ones count there.
    expect(grew(after, 'switchboard_requests_total')).toBe(3);
  });

  it("the budget service's spend counter equals the ledger's sum for a key, a duplicate event is not counted, and its consumer backlog drains to 0", async () => {
    const team = await admin('/team/new', { team_alias: 'metrics' });
    const alias = `metrics-${isolation.subjectPrefix}`;
    const { key } = (await admin('/key/generate', { key_alias: alias, team_id: team.team_id })) as { key: string };
    const labels = { model_group: 'priced', team: String(team.team_id), key_alias: alias };
    for (let index = 0; index < 3; index += 1) {
      const response = await call(key);
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
    const database = new pg.Client({ connectionString: isolation.databaseUrl });
    await database.connect();
    try {
      const ledger = async () =>
        (await database.query<{ count: number; total: string | null }>('SELECT count(*)::int AS count, sum(cost)::text AS total FROM spend_ledger WHERE key_alias = $1', [alias])).rows[0];
      await expect.poll(async () => (await ledger()).count, { timeout: 10_000, interval: 100 }).toBe(3);
      const recorded = await ledger();
      expect(Number(recorded.total)).toBeCloseTo(3 * costPerRequest, 12);
      // Exactly the ledger's decimal sum, as the nearest double: the counter never adds floats per event.
      await expect.poll(async () => sample(await scrape(budgetMetricsUrl), 'switchboard_spend_usd_total', labels), { timeout: 5_000, interval: 100 }).toBe(Number(recorded.total));

      // The last usage event again, with its message id, once the stream no longer deduplicates it: the ledger
      // sees a duplicate (nothing charged twice) and the counter must not move either.
      const namespace = isolation.namespace;
      const stream = streamName(namespace, 'USAGE');
      const manager = await jetstreamManager(connection);
      const last = await manager.streams.getMessage(stream, { last_by_subj: usageSubjects.recorded(namespace, 'plain') });
      const messageId = last?.header.get('Nats-Msg-Id') ?? '';
      expect(messageId).not.toBe('');
      const { config: streamConfig } = await manager.streams.info(stream);
      const before = await scrape(budgetMetricsUrl);
      await manager.streams.update(stream, { duplicate_window: 100_000_000 });
      try {
        await new Promise((resolve) => setTimeout(resolve, 300));
        const ack = await jetstream(connection).publish(usageSubjects.recorded(namespace, 'plain'), last?.data ?? new Uint8Array(), { msgID: messageId });
        expect(ack.duplicate).toBe(false);
      } finally {
        await manager.streams.update(stream, { duplicate_window: streamConfig.duplicate_window });
      }
      const duplicates = async () => sample(await scrape(budgetMetricsUrl), 'switchboard_ledger_events_total', { status: 'duplicate' });
      await expect.poll(duplicates, { timeout: 5_000, interval: 100 }).toBe(sample(before, 'switchboard_ledger_events_total', { status: 'duplicate' }) + 1);
      const after = await scrape(budgetMetricsUrl);
      expect(sample(after, 'switchboard_ledger_events_total', { status: 'inserted' })).toBe(sample(before, 'switchboard_ledger_events_total', { status: 'inserted' }));
      expect(sample(after, 'switchboard_spend_usd_total', labels)).toBe(Number(recorded.total));
      expect(await ledger()).toEqual(recorded);

      // The backlog gauge is JetStream's own count for the budget service's durable consumer.
      await expect.poll(async () => (await scrape(budgetMetricsUrl)).match(/^switchboard_usage_consumer_pending\{[^}]*consumer="budget-ledger"[^}]*\} (\S+)$/m)?.[1], { timeout: 5_000, interval: 100 }).toBe('0');
      const info = await manager.consumers.info(stream, 'budget-ledger');
      expect(info.num_pending + info.num_ack_pending).toBe(0);
      expect(info.delivered.consumer_seq).toBeGreaterThan(0);
    } finally {
      await database.end();
    }
  });
});
