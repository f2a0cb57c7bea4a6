#!/usr/bin/env node
// `npm start`: the whole Switchboard system on one machine, in one command.
// Checks NATS, PostgreSQL and Redis, creates the database if needed, builds, then runs the auth service,
// a worker for every configured provider, the budget and logging services and the gateway as separate
// processes under a supervisor (tools/supervisor.mjs): a service that crashes is restarted with backoff
// while the gateway keeps answering; when one crashes more than SUPERVISOR_MAX_RESTARTS times within
// SUPERVISOR_RESTART_WINDOW_SECONDS, or the gateway itself dies, everything stops with exit code 1.
// Ctrl-C / SIGTERM drains the gateway first, then the services behind it, and exits 0.
//   npm start -- --config path/to/config.yaml [--port 4000] [--no-build]   (or --model openai/gpt-4o: tools/cli-args.mjs)
import { spawnSync, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { parse } from 'yaml';
import { CliError, applyCliArgs, usage } from './cli-args.mjs';
import { Supervisor } from './supervisor.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

// LiteLLM's CLI habits (--model, --alias, --api_base, --config, --port, --detailed_debug): tools/cli-args.mjs.
const environment = { ...process.env };
let cli;
try {
  cli = applyCliArgs(process.argv.slice(2), environment);
} catch (error) {
  if (!(error instanceof CliError)) throw error;
  process.stderr.write(`\nswitchboard: ${error.message}\n\n`);
  process.exit(1);
}
if (cli.help) {
  console.log(usage);
  process.exit(0);
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

const positiveInteger = (name, fallback) => {
  const text = environment[name];
  if (text === undefined || text === '') return fallback;
  if (!/^[1-9]\d*$/.test(text)) fail(`${name} must be a positive integer (got ${JSON.stringify(text)})`);
  return Number(text);
};
const supervisor = new Supervisor({
  maxRestarts: positiveInteger('SUPERVISOR_MAX_RESTARTS', 5),
  windowMs: positiveInteger('SUPERVISOR_RESTART_WINDOW_SECONDS', 60) * 1_000,
  cwd: root,
  log: (line) => process.stderr.write(`switchboard: ${line}\n`),
  onGiveUp: (reason) => void shutdown(1, reason),
});
let shuttingDown = false;

async function shutdown(code, reason) {
  if (shuttingDown) return;
  shuttingDown = true;
  if (reason) process.stderr.write(`switchboard: ${reason}; stopping (exit ${code})\n`);
  // The gateway drains first (in-flight requests finish), then the services behind it.
  await supervisor.stop(['gateway']);
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
// Whatever ends this process, no service outlives it.
process.on('exit', () => supervisor.killAll());

async function waitReady(url, name) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (shuttingDown) await new Promise(() => undefined);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1_000) })).status === 200) return;
    } catch {
      // not listening yet (or restarting after a crash at start)
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await supervisor.stop();
  fail(`${name} did not become ready at ${url} within 30 s`);
}

function run(name, app, readyUrl, extra = {}) {
  // A smaller young generation: measured 10 % less RSS under load at the same throughput. No --enable-source-maps:
  // it keeps every loaded package's source map (TypeORM's hold their TypeScript sources) on the heap, about 10 MB
  // per service; NODE_OPTIONS=--enable-source-maps turns it on for a debugging session (docs/benchmarks.md).
  supervisor.start({
    name,
    args: ['--max-semi-space-size=4', join(root, 'dist', 'apps', app, 'main.js')],
    env: { ...environment, ...extra },
    readyUrl,
    essential: name === 'gateway',
  });
  return waitReady(readyUrl, name);
}

await checkServices();
await ensureDatabase();
// --no-build: run what dist/ holds (tests that build once and start the system several times).
if (!cli.no_build) execFileSync(process.execPath, [join(root, 'tools', 'build.mjs')], { stdio: 'inherit', cwd: root });
const migrated = spawnSync(process.execPath, [join(root, 'dist', 'apps', 'migrate', 'main.js')], { env: environment, stdio: 'inherit' });
if (migrated.status !== 0) fail('database migrations failed (see above)');
const providers = configuredProviders(environment.SWITCHBOARD_CONFIG);
const generatedKey = masterKey();

environment.AUTH_HEALTH_PORT ??= '4005';
environment.BUDGET_HEALTH_PORT ??= '4003';
environment.LOGGING_HEALTH_PORT ??= '4004';
const health = (port) => `http://127.0.0.1:${port}/health/readiness`;
await run('auth', 'auth', health(environment.AUTH_HEALTH_PORT));
await run('worker', 'worker', health(environment.WORKER_HEALTH_PORT), { WORKER_PROVIDERS: providers.join(',') });
await run('budget', 'budget', health(environment.BUDGET_HEALTH_PORT));
await run('logging', 'logging', health(environment.LOGGING_HEALTH_PORT));
const base = `http://127.0.0.1:${environment.PORT}`;
await run('gateway', 'gateway', `${base}/health/readiness`);

const key = generatedKey ?? '<your master key>';
console.log(`
Switchboard is running: ${base}  (worker serving: ${providers.join(', ')}; auth service managing keys; budget service recording spend)
${generatedKey ? `No master key was configured; this run's master key is:\n  ${generatedKey}\n` : ''}
Try it:
  curl ${base}/v1/chat/completions -H "Authorization: Bearer ${key}" \\
    -H "Content-Type: application/json" \\
    -d '{"model":"mock-gpt","messages":[{"role":"user","content":"Hello"}]}'
A service that crashes is restarted (with backoff); the gateway answers 503 no_worker meanwhile.
Press Ctrl-C to stop.
`);
