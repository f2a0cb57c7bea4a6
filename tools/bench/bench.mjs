#!/usr/bin/env node
// `npm run bench`: the same fast fake OpenAI upstream called directly, through Switchboard and (with
// --peer) through a peer gateway, side by side in one run; CPU per service per request, RSS under load,
// and the ledger rows against the requests answered. Raw figures go to bench-results/. docs/benchmarks.md.
//   (default)       the whole system as `npm start` runs it: gateway, worker, auth, budget and logging
//   --bare          gateway + worker only
//   --peer portkey  the Portkey gateway too (installed on demand into ~/.cache/switchboard-bench/portkey)
//   --quick         one run per one-connection cell, 5 s load cells
//   --profile       gateway and worker under --cpu-prof for the one-connection and 500 req/s cells
//   --pin           the fake upstream and the load generator on CPU 1 (taskset)
//   --load wrk|autocannon   the ceiling cells' load generator (default: wrk when installed)
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminClient, backendPids, cleanRedis, createDatabase, dropDatabase, redisPid, startNats, withDatabase } from './infra.mjs';
import { ceiling, ceilingTool, closedLoop, firstByte, openLoop, target } from './load.mjs';
import { startPortkey } from './portkey.mjs';
import { freePort, Processes, waitFor } from './processes.mjs';
import { printReport } from './report.mjs';
import { Monitor, pssMb } from './resources.mjs';
import { Switchboard } from './switchboard.mjs';
import { limitsCell } from './limits.mjs';
import { ledgerCheck, ledgerRows, UsageWatch } from './usage.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : undefined);
const known = new Set(['--quick', '--pin', '--bare', '--profile', '--peer', '--load']);
for (const [index, arg] of argv.entries()) {
  if (arg.startsWith('--') && !known.has(arg)) throw new Error(`unknown option ${arg} (see the head of tools/bench/bench.mjs)`);
  if (!arg.startsWith('--') && !['--peer', '--load'].includes(argv[index - 1])) throw new Error(`unexpected argument ${arg}`);
}
const quick = flag('quick');
const pin = flag('pin');
const bare = flag('bare');
const profile = flag('profile');
const peerName = option('peer');
if (peerName !== undefined && peerName !== 'portkey') throw new Error(`--peer ${peerName}: the only peer is portkey`);
const loadOption = option('load');
if (loadOption !== undefined && !['wrk', 'autocannon'].includes(loadOption)) throw new Error(`--load ${loadOption}: wrk or autocannon`);

const runs = quick ? 1 : 3;
const single = { count: 1_500, warmup: 200 };
const stream = { count: 500, warmup: 100 };
const loadSeconds = quick ? 5 : 10;
const catchUpMs = 120_000;
const masterKey = `sk-bench-${randomBytes(12).toString('hex')}`;
const runId = `${process.pid}_${randomBytes(4).toString('hex')}`;
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const database = `switchboard_bench_${runId}`;
const redisPrefix = `bench-${runId}:`;

const processes = new Processes();
const scratch = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const cleanups = [];

async function cleanup() {
  for (const step of cleanups.reverse()) await step().catch((error) => console.error(`cleanup: ${error.message}`));
  cleanups.length = 0;
  processes.killAll();
  rmSync(scratch, { recursive: true, force: true });
}
process.on('exit', () => processes.killAll());
process.on('SIGINT', () => void cleanup().finally(() => process.exit(130)));

async function main() {
  console.log('building...');
  execFileSync(process.execPath, [join(root, 'tools', 'build.mjs')], { stdio: 'inherit' });
  const tool = ceilingTool(loadOption);
  const cpu = pin ? '1' : undefined;

  const admin = await adminClient(databaseUrl);
  cleanups.push(async () => admin.end());
  await createDatabase(admin, database);
  cleanups.push(async () => dropDatabase(admin, database));
  cleanups.push(async () => void (await cleanRedis(redisUrl, redisPrefix)));
  const nats = await startNats(processes, scratch);

  const upstreamPort = await freePort();
  const upstreamArgs = [join(root, 'tools', 'bench', 'fake-upstream.mjs'), String(upstreamPort)];
  const upstream = pin ? processes.spawn('taskset', ['-c', '1', process.execPath, ...upstreamArgs]) : processes.spawn(process.execPath, upstreamArgs);
  const upstreamUrl = `http://127.0.0.1:${upstreamPort}`;
  await waitFor(async () => (await fetch(`${upstreamUrl}/v1/chat/completions`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(1_000) })).ok, 'fake upstream');

  const config = join(scratch, 'config.yaml');
  writeFileSync(
    config,
    `model_list:\n  - model_name: bench\n    litellm_params:\n      model: openai/bench\n      api_base: ${upstreamUrl}/v1\n      api_key: sk-bench\n      input_cost_per_token: "0.000001"\n      output_cost_per_token: "0.000002"\n`,
  );
  const system = new Switchboard({
    root,
    processes,
    bare,
    masterKey,
    logDirectory: scratch,
    environment: {
      PATH: process.env.PATH,
      NATS_URL: nats.url,
      SWITCHBOARD_CONFIG: config,
      DATABASE_URL: withDatabase(databaseUrl, database),
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: redisPrefix,
      // npm start's default: the gateway writes one line per request at info.
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      ...(process.env.NODE_OPTIONS ? { NODE_OPTIONS: process.env.NODE_OPTIONS } : {}),
    },
  });
  console.log(`starting ${system.names.join(', ')} (database ${database}, Redis prefix ${redisPrefix})...`);
  cleanups.push(() => system.stop());
  await system.start();
  const peer = peerName ? await startPortkey(processes, upstreamUrl) : undefined;
  const usage = await UsageWatch.connect(nats.url);
  cleanups.push(() => usage.close());

  const redis = await redisPid(redisUrl);
  const others = [{ name: 'nats-server', pid: nats.child.pid }, { name: 'upstream', pid: upstream.pid }, ...(peer ? [{ name: 'portkey', pid: peer.child.pid }] : []), ...(redis ? [{ name: 'redis (shared)', pid: redis }] : [])];
  const monitor = new Monitor(
    async () => [...system.pids(), ...others, ...(await backendPids(admin, database)).map((pid) => ({ name: 'postgres', pid }))],
    [...system.names, 'nats-server', ...(peer ? ['portkey'] : [])],
  );
  monitor.start();
  cleanups.push(async () => monitor.stop());

  const body = { model: 'bench', messages: [{ role: 'user', content: 'hello' }] };
  const streamBody = { ...body, stream: true };
  const sides = [
    { key: 'direct', url: `${upstreamUrl}/v1/chat/completions`, headers: { authorization: 'Bearer sk-bench' } },
    { key: 'switchboard', url: `${system.gatewayUrl}/v1/chat/completions`, headers: { authorization: `Bearer ${masterKey}` } },
    ...(peer ? [{ key: 'peer', url: peer.url, headers: peer.headers }] : []),
  ].map((side) => ({ ...side, plain: target(side.url, side.headers, body), stream: target(side.url, side.headers, streamBody) }));

  const results = {
    date: new Date().toISOString(),
    mode: bare ? 'gateway + worker (--bare)' : 'whole system (npm start: gateway, worker, auth, budget, logging)',
    bare,
    node: process.version,
    cpus: cpus().length,
    pinned: pin,
    quick,
    ceilingTool: tool,
    peer: peer?.label,
    cells: {},
  };
  let clientOk = 0;
  const profiles = {};
  const profileDirectory = (cell) => {
    const directory = join(root, 'bench-results', 'profiles', results.date.replace(/[:.]/g, '-'), cell);
    mkdirSync(directory, { recursive: true });
    profiles[cell] = directory;
    return directory;
  };

  /** Medians of `runs` sequential runs of `measure` per side. */
  const sequential = async (name, measure) => {
    const all = Object.fromEntries(sides.map((side) => [side.key, []]));
    for (let run = 0; run < runs; run += 1) {
      for (const side of sides) {
        const figures = await measure(side);
        if (side.key === 'switchboard') {
          clientOk += figures.ok;
          // Switchboard's usage backlog drains before the next side runs, not during it.
          await usage.waitCaughtUp(catchUpMs);
        }
        all[side.key].push(figures);
      }
    }
    const cell = { runs: all };
    for (const side of sides) cell[side.key] = { p50: median(all[side.key].map((r) => r.p50)), p99: median(all[side.key].map((r) => r.p99)) };
    results.cells[name] = cell;
  };

  /** One load cell per side, with the CPU of every process over it (Switchboard's until its usage is consumed). */
  const loaded = async (name, measure) => {
    const cell = {};
    for (const side of sides) {
      // Nothing left over from an earlier cell: every usage event consumed before the CPU count starts.
      await usage.waitCaughtUp(catchUpMs);
      await monitor.beginCell();
      const figures = await measure(side);
      if (side.key === 'switchboard') {
        clientOk += figures.ok;
        figures.usage = await usage.waitCaughtUp(catchUpMs);
      }
      figures.cpu = await monitor.endCell();
      cell[side.key] = figures;
    }
    results.cells[name] = cell;
  };

  if (profile) await system.restartHotPath(profileDirectory('single-connection'));
  console.log('one connection, non-stream...');
  await sequential('singleConnection', (side) => closedLoop(side.plain, single.count, single.warmup));
  if (profile) await system.restartHotPath();

  console.log('time to first byte, stream...');
  await sequential('firstByte', (side) => firstByte(side.stream, stream.count, stream.warmup));

  if (!bare) {
    console.log('virtual keys: no limits against rpm + tpm + parallel + budget...');
    results.cells.limits = await limitsCell({ gatewayUrl: system.gatewayUrl, masterKey, usage, runs, ...single }, (ok) => (clientOk += ok));
  }

  monitor.resetPeaks();
  console.log('fixed 200 req/s...');
  await loaded('rate200', (side) => openLoop(side.plain, 200, loadSeconds));
  if (profile) await system.restartHotPath(profileDirectory('rate-500'));
  console.log('fixed 500 req/s...');
  await loaded('rate500', (side) => openLoop(side.plain, 500, loadSeconds));
  if (profile) await system.restartHotPath();
  console.log(`throughput ceilings (${tool}, 64 connections), non-stream and stream...`);
  await loaded('ceilingNonStream', (side) => ceiling(side.plain, loadSeconds, { tool, pin: cpu, scriptFile: join(scratch, 'wrk.lua') }));
  await loaded('ceilingStream', (side) => ceiling(side.stream, loadSeconds, { tool, pin: cpu, scriptFile: join(scratch, 'wrk.lua') }));
  const services = system.names;
  results.rss = { peakMb: { ...monitor.peaks }, endMb: await monitor.current(), pssPeakMb: { ...monitor.pssPeaks }, pssEndMb: await monitor.current(pssMb), services, others: ['nats-server', ...(peer ? ['portkey'] : [])] };
  results.cpuNames = [...services, 'nats-server', 'postgres'];
  results.cpuOthers = [...(redis ? ['redis (shared)'] : []), 'upstream'];
  results.usagePathNames = ['budget', 'logging', 'nats-server', 'postgres'];

  console.log('waiting for the usage consumers to catch up, then counting ledger rows...');
  const caughtUp = await usage.waitCaughtUp(120_000);
  const gatewayAnswered = await system.gatewayAnswered();
  const rows = bare ? {} : await ledgerRows(withDatabase(databaseUrl, database));
  results.ledger = bare ? undefined : ledgerCheck({ clientOk, gatewayAnswered, rows, caughtUp });
  if (profile) results.profiles = profiles;

  printReport(results);
  const outputDirectory = join(root, 'bench-results');
  mkdirSync(outputDirectory, { recursive: true });
  const stamp = results.date.replace(/[:.]/g, '-');
  const warnings = Object.entries(await system.warnings()).filter(([, lines]) => lines.length > 0);
  if (warnings.length > 0) {
    const warningsFile = join(outputDirectory, `bench-${stamp}-warnings.log`);
    writeFileSync(warningsFile, warnings.map(([name, lines]) => lines.map((line) => `${name}: ${line}`).join('\n')).join('\n'));
    console.log(`\nservice log lines at warn or above: ${warnings.map(([name, lines]) => `${name} ${lines.length}`).join(', ')} (${warningsFile})`);
  }
  const file = join(outputDirectory, `bench-${stamp}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2));
  console.log(`\nraw figures: ${file}`);
}

main()
  .then(async () => {
    await cleanup();
    process.exit(0);
  })
  .catch(async (error) => {
    console.error(error);
    await cleanup();
    process.exit(1);
  });
