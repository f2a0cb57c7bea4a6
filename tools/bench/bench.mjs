#!/usr/bin/env node
// `npm run bench`: direct-to-upstream against through-Switchboard, side by side, in one run.
// Starts a private NATS (JetStream), a fast fake OpenAI upstream, a worker and the gateway as
// separate processes, measures, prints a table and writes the raw figures to bench-results/.
//   --quick   one run per one-connection cell and shorter load cells
//   --pin     pin the fake upstream and the load generator to CPU 1 (taskset), the rest unpinned
import { execFileSync, fork, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ceiling, closedLoop, firstByte, openLoop, target } from './load.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const quick = process.argv.includes('--quick');
const pin = process.argv.includes('--pin');
const children = [];
const scratch = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));

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

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024);
}

function sampleRss(pids) {
  const peaks = Object.fromEntries(Object.keys(pids).map((name) => [name, 0]));
  const timer = setInterval(() => {
    for (const [name, pid] of Object.entries(pids)) peaks[name] = Math.max(peaks[name], rssMb(pid));
  }, 250);
  return { stop: () => (clearInterval(timer), peaks) };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  console.log('building...');
  execFileSync(process.execPath, [join(root, 'tools', 'build.mjs')], { stdio: 'inherit' });
  const natsPort = await freePort();
  const nats = spawn('/usr/sbin/nats-server', ['-a', '127.0.0.1', '-p', String(natsPort), '-js', '-sd', join(scratch, 'nats')], { stdio: 'ignore' });
  children.push(nats);
  const upstreamPort = await freePort();
  const pinArgs = pin ? { execPath: 'taskset', execArgv: [] } : {};
  const upstream = pin
    ? spawn('taskset', ['-c', '1', process.execPath, join(root, 'tools', 'bench', 'fake-upstream.mjs'), String(upstreamPort)], { stdio: 'ignore' })
    : fork(join(root, 'tools', 'bench', 'fake-upstream.mjs'), [String(upstreamPort)], { stdio: 'ignore', ...pinArgs });
  children.push(upstream);
  const upstreamUrl = `http://127.0.0.1:${upstreamPort}`;
  await waitFor(async () => (await fetch(`${upstreamUrl}/v1/chat/completions`, { method: 'POST', body: '{}' })).ok, 'fake upstream');

  const config = join(scratch, 'config.yaml');
  writeFileSync(config, `model_list:\n  - model_name: bench\n    litellm_params:\n      model: openai/bench\n      api_base: ${upstreamUrl}/v1\n      api_key: sk-bench\n`);
  const common = {
    PATH: process.env.PATH,
    NATS_URL: `nats://127.0.0.1:${natsPort}`,
    SWITCHBOARD_SUBJECT_PREFIX: `bench${process.pid}`,
    SWITCHBOARD_CONFIG: config,
    LOG_LEVEL: 'warn',
    METRICS_PORT: '0',
    ...(process.env.NODE_OPTIONS ? { NODE_OPTIONS: process.env.NODE_OPTIONS } : {}),
  };
  const workerPort = await freePort();
  const worker = spawn(process.execPath, [join(root, 'dist', 'apps', 'worker', 'main.js')], {
    env: { ...common, WORKER_PROVIDERS: 'openai', WORKER_HEALTH_PORT: String(workerPort), WORKER_HEALTH_HOST: '127.0.0.1' },
    stdio: 'inherit',
  });
  children.push(worker);
  await waitFor(ready(`http://127.0.0.1:${workerPort}/health/readiness`), 'worker');
  const gatewayPort = await freePort();
  const gateway = spawn(process.execPath, [join(root, 'dist', 'apps', 'gateway', 'main.js')], {
    env: {
      ...common,
      PORT: String(gatewayPort),
      HOST: '127.0.0.1',
      MASTER_KEY: 'sk-bench-master',
      DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: `bench${process.pid}:`,
    },
    stdio: 'inherit',
  });
  children.push(gateway);
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  await waitFor(ready(`${gatewayUrl}/health/readiness`), 'gateway');

  const body = { model: 'bench', messages: [{ role: 'user', content: 'hello' }] };
  const direct = target(`${upstreamUrl}/v1/chat/completions`, { authorization: 'Bearer sk-bench' }, body);
  const through = target(`${gatewayUrl}/v1/chat/completions`, { authorization: 'Bearer sk-bench-master' }, body);
  const directStream = target(`${upstreamUrl}/v1/chat/completions`, { authorization: 'Bearer sk-bench' }, { ...body, stream: true });
  const throughStream = target(`${gatewayUrl}/v1/chat/completions`, { authorization: 'Bearer sk-bench-master' }, { ...body, stream: true });
  const pids = { gateway: gateway.pid, worker: worker.pid };
  const results = { date: new Date().toISOString(), node: process.version, cpus: 2, pinned: pin, quick, cells: {} };
  const runs = quick ? 1 : 3;
  const count = quick ? 1_000 : 2_000;
  const loadSeconds = quick ? 5 : 10;

  console.log('one connection, non-stream...');
  const single = { direct: [], through: [] };
  for (let run = 0; run < runs; run += 1) {
    single.direct.push(await closedLoop(direct, count, 300));
    single.through.push(await closedLoop(through, count, 300));
  }
  results.cells.singleConnection = {
    direct: { p50: median(single.direct.map((r) => r.p50)), p99: median(single.direct.map((r) => r.p99)) },
    through: { p50: median(single.through.map((r) => r.p50)), p99: median(single.through.map((r) => r.p99)) },
    runs: single,
  };

  console.log('time to first byte, stream...');
  const ttfb = { direct: [], through: [] };
  for (let run = 0; run < runs; run += 1) {
    ttfb.direct.push(await firstByte(directStream, count / 2, 200));
    ttfb.through.push(await firstByte(throughStream, count / 2, 200));
  }
  results.cells.firstByte = {
    direct: { p50: median(ttfb.direct.map((r) => r.p50)) },
    through: { p50: median(ttfb.through.map((r) => r.p50)) },
    runs: ttfb,
  };

  const rss = sampleRss(pids);
  for (const rate of [200, 500]) {
    console.log(`fixed ${rate} req/s...`);
    results.cells[`rate${rate}`] = { direct: await openLoop(direct, rate, loadSeconds), through: await openLoop(through, rate, loadSeconds) };
  }
  console.log('throughput ceiling, non-stream and stream...');
  const cpu = pin ? '1' : undefined;
  results.cells.ceilingNonStream = { direct: await ceiling(direct, loadSeconds, cpu), through: await ceiling(through, loadSeconds, cpu) };
  results.cells.ceilingStream = { direct: await ceiling(directStream, loadSeconds, cpu), through: await ceiling(throughStream, loadSeconds, cpu) };
  const peaks = rss.stop();
  results.cells.rss = { peakMb: peaks, endMb: { gateway: rssMb(gateway.pid), worker: rssMb(worker.pid) } };

  printTable(results);
  const outputDirectory = join(root, 'bench-results');
  mkdirSync(outputDirectory, { recursive: true });
  const file = join(outputDirectory, `bench-${results.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2));
  console.log(`\nraw figures: ${file}`);
}

function printTable(results) {
  const c = results.cells;
  const ms = (value) => `${value.toFixed(2)} ms`;
  const rows = [
    ['added p50, 1 connection', ms(c.singleConnection.direct.p50), ms(c.singleConnection.through.p50), c.singleConnection.through.p50 - c.singleConnection.direct.p50, '<= 0.8 ms'],
    ['added p99, 1 connection', ms(c.singleConnection.direct.p99), ms(c.singleConnection.through.p99), c.singleConnection.through.p99 - c.singleConnection.direct.p99, ''],
    ['added p50 at 200 req/s', ms(c.rate200.direct.p50), ms(c.rate200.through.p50), c.rate200.through.p50 - c.rate200.direct.p50, ''],
    ['added p99 at 200 req/s', ms(c.rate200.direct.p99), ms(c.rate200.through.p99), c.rate200.through.p99 - c.rate200.direct.p99, ''],
    ['added p50 at 500 req/s', ms(c.rate500.direct.p50), ms(c.rate500.through.p50), c.rate500.through.p50 - c.rate500.direct.p50, ''],
    ['added p99 at 500 req/s', ms(c.rate500.direct.p99), ms(c.rate500.through.p99), c.rate500.through.p99 - c.rate500.direct.p99, '<= 3 ms'],
    ['added time to first byte (stream)', ms(c.firstByte.direct.p50), ms(c.firstByte.through.p50), c.firstByte.through.p50 - c.firstByte.direct.p50, '<= 1 ms'],
  ];
  const pass = { 'added p50, 1 connection': 0.8, 'added p99 at 500 req/s': 3, 'added time to first byte (stream)': 1 };
  console.log('\n| cell | direct | through Switchboard | added | target | |');
  console.log('|---|---|---|---|---|---|');
  for (const [name, direct, through, added, goal] of rows) {
    const verdict = pass[name] === undefined ? '' : added <= pass[name] ? 'met' : 'missed';
    console.log(`| ${name} | ${direct} | ${through} | ${added >= 0 ? '+' : ''}${added.toFixed(2)} ms | ${goal} | ${verdict} |`);
  }
  const ns = c.ceilingNonStream;
  const st = c.ceilingStream;
  console.log(`| ceiling non-stream (64 conn) | ${ns.direct.requestsPerSecond} req/s | ${ns.through.requestsPerSecond} req/s | x${(ns.through.requestsPerSecond / ns.direct.requestsPerSecond).toFixed(2)} | >= 2,000 req/s | ${ns.through.requestsPerSecond >= 2000 ? 'met' : 'missed'} |`);
  console.log(`| ceiling stream, 22 events (64 conn) | ${st.direct.requestsPerSecond} req/s | ${st.through.requestsPerSecond} req/s | x${(st.through.requestsPerSecond / st.direct.requestsPerSecond).toFixed(2)} | >= 1,500 req/s | ${st.through.requestsPerSecond >= 1500 ? 'met' : 'missed'} |`);
  const peak = c.rss.peakMb.gateway + c.rss.peakMb.worker;
  console.log(`| RSS under load, gateway + worker | | ${c.rss.peakMb.gateway} + ${c.rss.peakMb.worker} = ${peak} MB peak | | <= 250 MB | ${peak <= 250 ? 'met' : 'missed'} |`);
  console.log(`\nerrors: 500 req/s ${c.rate500.through.errors}, ceiling non-stream non-2xx ${ns.through.non2xx}, stream non-2xx ${st.through.non2xx}; achieved rates ${c.rate200.through.achievedRate} / ${c.rate500.through.achievedRate} req/s${results.pinned ? '; fake upstream and autocannon pinned to CPU 1' : ''}`);
}

main()
  .then(() => process.exit(0))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
