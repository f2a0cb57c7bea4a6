#!/usr/bin/env node
// `npm start`: the whole Switchboard system on one machine, in one command.
// Checks NATS, PostgreSQL and Redis, creates the database if needed, builds, then runs a worker
// for every configured provider and the gateway as separate processes. Ctrl-C / SIGTERM drains
// the gateway first, then the workers.
//   npm start -- --config path/to/config.yaml [--port 4000]   (or --model openai/gpt-4o: tools/cli-args.mjs)
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { parse } from 'yaml';
import { CliError, applyCliArgs, usage } from './cli-args.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

const environment = { ...process.env };
try {
  if (applyCliArgs(process.argv.slice(2), environment).help) {
    console.log(usage);
    process.exit(0);
  }
} catch (error) {
  if (!(error instanceof CliError)) throw error;
  process.stderr.write(`\nswitchboard: ${error.message}\n\n`);
  process.exit(1);
}
environment.NATS_URL ??= 'nats://127.0.0.1:4222';
environment.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/switchboard';
environment.REDIS_URL ??= 'redis://127.0.0.1:6379';
environment.WORKER_HEALTH_PORT ??= '4001';

const startHints = {
  NATS: 'start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server  (or: docker compose up -d nats)',
  PostgreSQL: 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start  (or: docker compose up -d postgres)',
  Redis: 'redis-server --daemonize yes --port 6379 --save "" --appendonly no  (or: docker compose up -d redis)',
};

function fail(message) {
  process.stderr.write(`\nswitchboard: ${message}\n\n`);
  process.exit(1);
}

function reachable(url, defaultPort) {
  const parsed = new URL(url.replace(/^nats:/, 'http:').replace(/^rediss?:/, 'http:').replace(/^postgres(ql)?:/, 'http:'));
  const host = parsed.hostname || '127.0.0.1';
  const port = Number(parsed.port || defaultPort);
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok) => {
      socket.destroy();
      resolve({ ok, host, port });
    };
    socket.setTimeout(1500, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}

async function checkServices() {
  const services = [
    ['NATS', 'NATS_URL', 4222],
    ['PostgreSQL', 'DATABASE_URL', 5432],
    ['Redis', 'REDIS_URL', 6379],
  ];
  for (const [name, variable, port] of services) {
    const result = await reachable(environment[variable], port);
    if (!result.ok) fail(`cannot reach ${name} at ${result.host}:${result.port} (${variable}).\nStart it with:\n  ${startHints[name]}`);
  }
}

async function ensureDatabase() {
  const target = new URL(environment.DATABASE_URL);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name) return;
  const admin = new URL(environment.DATABASE_URL);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  try {
    await client.connect();
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      console.log(`created database ${name}`);
    }
  } catch (error) {
    fail(`cannot prepare the PostgreSQL database ${name} (DATABASE_URL): ${error.message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function configuredProviders(configPath) {
  if (!existsSync(configPath)) fail(`config file ${configPath} not found (--config FILE or SWITCHBOARD_CONFIG)`);
  let config;
  try {
    config = parse(readFileSync(configPath, 'utf8')) ?? {};
  } catch (error) {
    fail(`invalid YAML in ${configPath}: ${error.message}`);
  }
  const providers = new Set();
  for (const entry of config.model_list ?? []) {
    const model = String(entry?.litellm_params?.model ?? '');
    providers.add(model.includes('/') ? model.slice(0, model.indexOf('/')) : 'openai');
  }
  return [...providers];
}

function masterKey() {
  if (environment.MASTER_KEY || environment.LITELLM_MASTER_KEY) return undefined;
  const config = parse(readFileSync(environment.SWITCHBOARD_CONFIG, 'utf8')) ?? {};
  if (config.general_settings?.master_key) return undefined;
  const key = `sk-${randomBytes(24).toString('base64url')}`;
  environment.MASTER_KEY = key;
  return key;
}

async function waitReady(url, child, name) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) fail(`${name} exited during start (code ${child.exitCode})`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  fail(`${name} did not become ready at ${url}`);
}

function run(name, app, extra = {}) {
  // A smaller young generation: measured 10 % less RSS under load at the same throughput (docs/benchmarks.md).
  const child = spawn(process.execPath, ['--enable-source-maps', '--max-semi-space-size=4', join(root, 'dist', 'apps', app, 'main.js')], {
    cwd: root,
    env: { ...environment, ...extra },
    stdio: 'inherit',
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      process.stderr.write(`switchboard: ${name} exited unexpectedly (${signal ?? code}); stopping\n`);
      void stop(1);
    }
  });
  return child;
}

let stopping = false;
const children = { gateway: undefined, workers: [] };

async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  const exited = (child) => (child && child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : Promise.resolve());
  if (children.gateway?.exitCode === null) children.gateway.kill('SIGTERM');
  await exited(children.gateway);
  for (const worker of children.workers) if (worker.exitCode === null) worker.kill('SIGTERM');
  await Promise.all(children.workers.map(exited));
  process.exit(code);
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

await checkServices();
await ensureDatabase();
execFileSync(process.execPath, [join(root, 'tools', 'build.mjs')], { stdio: 'inherit', cwd: root });
const migrated = spawnSync(process.execPath, [join(root, 'dist', 'apps', 'migrate', 'main.js')], { env: environment, stdio: 'inherit' });
if (migrated.status !== 0) fail('database migrations failed (see above)');
const providers = configuredProviders(environment.SWITCHBOARD_CONFIG);
const generatedKey = masterKey();

environment.AUTH_HEALTH_PORT ??= '4005';
const auth = run('auth', 'auth');
children.workers.push(auth);
await waitReady(`http://127.0.0.1:${environment.AUTH_HEALTH_PORT}/health/readiness`, auth, 'auth');
const worker = run('worker', 'worker', { WORKER_PROVIDERS: providers.join(',') });
children.workers.push(worker);
await waitReady(`http://127.0.0.1:${environment.WORKER_HEALTH_PORT}/health/readiness`, worker, 'worker');
environment.BUDGET_HEALTH_PORT ??= '4003';
const budget = run('budget', 'budget');
children.workers.push(budget);
await waitReady(`http://127.0.0.1:${environment.BUDGET_HEALTH_PORT}/health/readiness`, budget, 'budget');
environment.LOGGING_HEALTH_PORT ??= '4004';
const logging = run('logging', 'logging');
children.workers.push(logging);
await waitReady(`http://127.0.0.1:${environment.LOGGING_HEALTH_PORT}/health/readiness`, logging, 'logging');
children.gateway = run('gateway', 'gateway');
const base = `http://127.0.0.1:${environment.PORT}`;
await waitReady(`${base}/health/readiness`, children.gateway, 'gateway');

const key = generatedKey ?? '<your master key>';
console.log(`
Switchboard is running: ${base}  (worker serving: ${providers.join(', ')}; auth service managing keys; budget service recording spend)
${generatedKey ? `No master key was configured; this run's master key is:\n  ${generatedKey}\n` : ''}
Try it:
  curl ${base}/v1/chat/completions -H "Authorization: Bearer ${key}" \\
    -H "Content-Type: application/json" \\
    -d '{"model":"mock-gpt","messages":[{"role":"user","content":"Hello"}]}'
Press Ctrl-C to stop.
`);
