#!/usr/bin/env node
// `node tools/bench/cache-hit.mjs`: what a response-cache hit costs, next to a bare HTTP round trip
// to the fake upstream and an uncached request through Switchboard. A measurement, not a test.
// Starts a private NATS, the fast fake upstream, a worker and two gateways (cache type local and
// type redis on the machine's Redis), then: added p50 / p99 of a hit at one connection (2,000
// sequential requests after 300 warm-up), and the throughput of hits against misses (autocannon,
// 64 connections). Misses send `cache: {"no-cache": true, "no-store": true}`: the full path.
import { execFileSync, fork, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ceiling, closedLoop, target } from './load.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const children = [];
const scratch = mkdtempSync(join(tmpdir(), 'switchboard-cache-bench-'));
const seconds = Number(process.env.BENCH_SECONDS ?? 5);

function cleanup() {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
}
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitFor(check, what, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not start`);
}

const ready = (url) => async () => (await fetch(url)).status === 200;
const round = (value) => Math.round(value * 1000) / 1000;

async function main() {
  execFileSync(process.execPath, [join(root, 'tools', 'build.mjs')], { stdio: 'ignore' });
  const natsPort = await freePort();
  children.push(spawn('/usr/sbin/nats-server', ['-a', '127.0.0.1', '-p', String(natsPort), '-js', '-sd', join(scratch, 'nats')], { stdio: 'ignore' }));
  const upstreamPort = await freePort();
  children.push(fork(join(root, 'tools', 'bench', 'fake-upstream.mjs'), [String(upstreamPort)], { stdio: 'ignore' }));
  const upstreamUrl = `http://127.0.0.1:${upstreamPort}`;
  await waitFor(async () => (await fetch(`${upstreamUrl}/v1/chat/completions`, { method: 'POST', body: '{}' })).ok, 'fake upstream');
  const models = `model_list:\n  - model_name: bench\n    litellm_params:\n      model: openai/bench\n      api_base: ${upstreamUrl}/v1\n      api_key: sk-bench\n`;
  const common = {
    PATH: process.env.PATH,
    NATS_URL: `nats://127.0.0.1:${natsPort}`,
    SWITCHBOARD_SUBJECT_PREFIX: `cbench${process.pid}`,
    LOG_LEVEL: 'warn',
    METRICS_PORT: '0',
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_KEY_PREFIX: `cbench${process.pid}:`,
  };
  const workerConfig = join(scratch, 'worker.yaml');
  writeFileSync(workerConfig, models);
  const workerPort = await freePort();
  children.push(
    spawn(process.execPath, [join(root, 'dist', 'apps', 'worker', 'main.js')], {
      env: { ...common, SWITCHBOARD_CONFIG: workerConfig, WORKER_PROVIDERS: 'openai', WORKER_HEALTH_PORT: String(workerPort), WORKER_HEALTH_HOST: '127.0.0.1' },
      stdio: 'inherit',
    }),
  );
  await waitFor(ready(`http://127.0.0.1:${workerPort}/health/readiness`), 'worker');

  const gateways = {};
  for (const type of ['local', 'redis']) {
    const config = join(scratch, `${type}.yaml`);
    writeFileSync(config, `${models}litellm_settings:\n  cache: true\n  cache_params:\n    type: ${type}\n`);
    const port = await freePort();
    children.push(
      spawn(process.execPath, [join(root, 'dist', 'apps', 'gateway', 'main.js')], {
        env: { ...common, SWITCHBOARD_CONFIG: config, PORT: String(port), HOST: '127.0.0.1', MASTER_KEY: 'sk-bench-master' },
        stdio: 'inherit',
      }),
    );
    gateways[type] = `http://127.0.0.1:${port}`;
    await waitFor(ready(`${gateways[type]}/health/readiness`), `gateway (${type})`);
  }

  const body = { model: 'bench', messages: [{ role: 'user', content: 'hello' }] };
  const direct = await closedLoop(target(`${upstreamUrl}/v1/chat/completions`, { authorization: 'Bearer sk-bench' }, body), 2_000, 300);
  const results = { date: new Date().toISOString(), node: process.version, direct: { p50: round(direct.p50), p99: round(direct.p99) } };
  for (const [type, url] of Object.entries(gateways)) {
    const headers = { authorization: 'Bearer sk-bench-master' };
    const hit = target(`${url}/v1/chat/completions`, headers, body);
    const miss = target(`${url}/v1/chat/completions`, headers, { ...body, cache: { 'no-cache': true, 'no-store': true } });
    const hitLatency = await closedLoop(hit, 2_000, 300);
    const missLatency = await closedLoop(miss, 2_000, 300);
    const hitCeiling = await ceiling(hit, seconds);
    const missCeiling = await ceiling(miss, seconds);
    results[type] = {
      hit: { p50: round(hitLatency.p50), p99: round(hitLatency.p99), addedP50: round(hitLatency.p50 - direct.p50), errors: hitLatency.errors },
      miss: { p50: round(missLatency.p50), p99: round(missLatency.p99), addedP50: round(missLatency.p50 - direct.p50), errors: missLatency.errors },
      hitRequestsPerSecond: hitCeiling.requestsPerSecond,
      missRequestsPerSecond: missCeiling.requestsPerSecond,
      ratio: round(hitCeiling.requestsPerSecond / missCeiling.requestsPerSecond),
    };
  }
  console.log(JSON.stringify(results, null, 2));
}

main()
  .then(() => process.exit(0))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
