import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwitchboardNatsClient } from '@switchboard/sdk';
import { createIsolation, freePort, readUsageEvents, repositoryRoot, startFakeOpenAiUpstream, startSystem } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';
import { fakeUpstreamConfig } from './e2e-config';

const canaryMaster = 'sk-canary-master-7f3a9c1e5b';
const canaryProvider = 'sk-prov-canary-2d8e4b6a0c';

/** The value of one series in Prometheus text, or 0 when absent. */
function series(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([label, value]) => line.includes(`${label}="${value}"`))) return Number(line.split(' ').at(-1));
  }
  return 0;
}

/** The sum of every series of one name whose labels include `labels`. */
function total(text: string, name: string, labels: Record<string, string>): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) && Object.entries(labels).every(([label, value]) => line.includes(`${label}="${value}"`)))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

describe('metrics and secrets', () => {
  let isolation: Isolation;
  let upstream: FakeServer;
  let system: RunningSystem;
  let client: OpenAI;
  let connection: NatsConnection;
  let nats: SwitchboardNatsClient;

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startFakeOpenAiUpstream();
    system = await startSystem({
      isolation,
      config: fakeUpstreamConfig(upstream.url),
      masterKey: canaryMaster,
      workers: [{ providers: 'openai,mock', environment: { FAKE_UPSTREAM_KEY: canaryProvider, LOG_LEVEL: 'debug' } }],
      gatewayEnvironment: { LOG_LEVEL: 'debug' },
    });
    client = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: canaryMaster, maxRetries: 0 });
    connection = await connect({ servers: isolation.urls.natsUrl });
    nats = new SwitchboardNatsClient(connection, { apiKey: canaryMaster, prefix: isolation.subjectPrefix });
  });

  afterAll(async () => {
    await connection?.close();
    await system?.stop();
    await upstream?.close();
    await isolation?.cleanup();
  });

  it('/metrics exposes the documented series with the right values after known requests', async () => {
    for (let index = 0; index < 3; index += 1) await client.chat.completions.create({ model: 'fake-ok', messages: [{ role: 'user', content: 'x' }] });
    const stream = await client.chat.completions.create({ model: 'fake-ok', stream: true, messages: [{ role: 'user', content: 'x' }] });
    for await (const _chunk of stream) {
      // drain
    }
    await client.chat.completions.create({ model: 'fake-status-429', messages: [{ role: 'user', content: 'x' }] }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const gateway = await (await fetch(system.gatewayMetricsUrl)).text();
    expect(series(gateway, 'switchboard_requests_total', { route: 'chat', model_group: 'fake-ok', status: '200' })).toBe(4);
    expect(series(gateway, 'switchboard_requests_total', { route: 'chat', model_group: 'fake-status-429', status: '429' })).toBe(1);
    expect(series(gateway, 'switchboard_time_to_first_token_seconds_count', { model_group: 'fake-ok' })).toBe(1);
    expect(series(gateway, 'switchboard_overhead_duration_seconds_count', {})).toBe(4);
    expect(gateway).toContain('switchboard_deployment_cooldown{');
    const worker = await (await fetch(system.workerMetricsUrls[0])).text();
    // The fake upstream reports 11 prompt tokens (3 cached) and 7 completion tokens (2 reasoning) per call.
    expect(series(worker, 'switchboard_tokens_total', { model_group: 'fake-ok', type: 'input' })).toBe(44);
    expect(series(worker, 'switchboard_tokens_total', { model_group: 'fake-ok', type: 'cache_read' })).toBe(12);
    expect(series(worker, 'switchboard_tokens_total', { model_group: 'fake-ok', type: 'reasoning' })).toBe(8);
    expect(series(worker, 'gen_ai_client_token_usage_count', { gen_ai_provider_name: 'openai', gen_ai_token_type: 'output' })).toBe(4);
  });

  it('/metrics counts the NATS API requests apart from the HTTP ones, under the nats_* routes, after known requests', async () => {
    const before = await (await fetch(system.gatewayMetricsUrl)).text();
    const grew = (after: string, name: string, labels: Record<string, string>) => total(after, name, labels) - total(before, name, labels);
    for (let index = 0; index < 2; index += 1) await nats.chat.completions.create({ model: 'fake-ok', messages: [{ role: 'user', content: 'x' }] });
    for await (const _chunk of await nats.chat.completions.create({ model: 'fake-ok', stream: true, messages: [{ role: 'user', content: 'x' }] })) {
      // drain
    }
    await nats.chat.completions.create({ model: 'fake-status-429', messages: [{ role: 'user', content: 'x' }] }).catch(() => undefined);
    await nats.embeddings.create({ model: 'fake-embedding', input: ['a'] });
    await nats.responses.create({ model: 'fake-ok', input: 'x', store: false });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const after = await (await fetch(system.gatewayMetricsUrl)).text();
    expect(grew(after, 'switchboard_requests_total', { route: 'nats_chat', model_group: 'fake-ok', provider: 'openai', status: '200' })).toBe(3);
    expect(grew(after, 'switchboard_requests_total', { route: 'nats_chat', model_group: 'fake-status-429', status: '429' })).toBe(1);
    expect(grew(after, 'switchboard_requests_total', { route: 'nats_embeddings', model_group: 'fake-embedding', status: '200' })).toBe(1);
    expect(grew(after, 'switchboard_requests_total', { route: 'nats_responses', model_group: 'fake-ok', status: '200' })).toBe(1);
    expect(grew(after, 'switchboard_request_duration_seconds_count', { route: 'nats_chat', model_group: 'fake-ok' })).toBe(3);
    // Only the stream has a first token; the two chat answers, the stream and the Responses answer report the upstream's time.
    expect(grew(after, 'switchboard_time_to_first_token_seconds_count', { route: 'nats_chat', model_group: 'fake-ok' })).toBe(1);
    expect(grew(after, 'switchboard_overhead_duration_seconds_count', {})).toBe(4);
    // The HTTP edge's series did not move.
    for (const route of ['chat', 'embeddings', 'responses']) expect(grew(after, 'switchboard_requests_total', { route }), route).toBe(0);
    expect(grew(after, 'switchboard_requests_total', {})).toBe(6);
  });

  it('a canary master key and a canary provider key appear in no log line, metric, error body or usage event', async () => {
    await client.chat.completions.create({ model: 'fake-status-401', messages: [{ role: 'user', content: 'x' }] }).catch(() => undefined);
    await nats.chat.completions.create({ model: 'fake-status-401', messages: [{ role: 'user', content: 'x' }] }).catch(() => undefined);
    await fetch(`${system.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${canaryMaster}x`, 'content-type': 'application/json' },
      body: '{}',
    });
    const sinks = [
      system.gateway.logs(),
      ...system.workers.map((worker) => worker.logs()),
      await (await fetch(system.gatewayMetricsUrl)).text(),
      ...(await Promise.all(system.workerMetricsUrls.map(async (url) => (await fetch(url)).text()))),
      JSON.stringify(await readUsageEvents(isolation)),
    ];
    for (const sink of sinks) {
      expect(sink).not.toContain(canaryMaster);
      expect(sink).not.toContain(canaryProvider);
    }
  });
});

describe('the Grafana dashboard', () => {
  let isolation: Isolation;
  let system: RunningSystem;
  let serviceMetricsUrls: { budget: string; logging: string };

  beforeAll(async () => {
    isolation = await createIsolation();
    const [budgetPort, loggingPort] = [await freePort(), await freePort()];
    serviceMetricsUrls = { budget: `http://127.0.0.1:${budgetPort}/metrics`, logging: `http://127.0.0.1:${loggingPort}/metrics` };
    system = await startSystem({
      isolation,
      config: fakeUpstreamConfig('http://127.0.0.1:9'),
      workers: [{ providers: 'openai,mock' }],
      budget: true,
      budgetEnvironment: { METRICS_PORT: String(budgetPort), METRICS_HOST: '127.0.0.1' },
      logging: { METRICS_PORT: String(loggingPort), METRICS_HOST: '127.0.0.1' },
    });
  });

  afterAll(async () => {
    await system?.stop();
    await isolation?.cleanup();
  });

  it('queries only metrics Switchboard exports', async () => {
    const exported = new Set<string>();
    const texts = await Promise.all([system.gatewayMetricsUrl, ...system.workerMetricsUrls, serviceMetricsUrls.budget, serviceMetricsUrls.logging].map(async (url) => (await fetch(url)).text()));
    for (const text of texts) {
      for (const match of text.matchAll(/^# TYPE (\S+) (\S+)/gm)) {
        exported.add(match[1]);
        if (match[2] === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) exported.add(`${match[1]}${suffix}`);
      }
    }
    const dashboard = JSON.parse(readFileSync(join(repositoryRoot, 'deploy', 'grafana', 'switchboard-dashboard.json'), 'utf8')) as {
      panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
    };
    const queried = new Set<string>();
    for (const panel of dashboard.panels) {
      for (const target of panel.targets) {
        const metricsOnly = target.expr.replace(/\b(by|without)\s*\([^)]*\)/g, '').replace(/\{[^}]*\}/g, '');
        for (const match of metricsOnly.matchAll(/\b((?:switchboard|gen_ai|process)_[a-z0-9_]+)/g)) queried.add(match[1]);
      }
    }
    expect(queried.size).toBeGreaterThan(10);
    const missing = [...queried].filter((name) => !exported.has(name));
    expect(missing).toEqual([]);
  });

  it("the budget and logging services serve their own series, with each durable consumer's backlog from JetStream", async () => {
    const budget = await (await fetch(serviceMetricsUrls.budget)).text();
    expect(budget).toMatch(/^switchboard_usage_consumer_pending\{[^}]*consumer="budget-ledger"[^}]*\} 0$/m);
    expect(budget).toMatch(/^switchboard_ledger_events_total\{[^}]*status="inserted"[^}]*\} 0$/m);
    expect(budget).toContain('service="budget"');
    const logging = await (await fetch(serviceMetricsUrls.logging)).text();
    // No callback is configured: only the per-key and per-team destinations' consumer runs.
    expect(logging).toMatch(/^switchboard_usage_consumer_pending\{[^}]*consumer="logging-per-caller"[^}]*\} 0$/m);
    expect(logging).toContain('service="logging"');
  });
});
