// The Switchboard system under test, started from dist/ the way `npm start` runs it (tools/start.mjs:
// the same node flags, the same start order, every service with its own health and metrics port), against
// a private nats-server, a fresh database and a unique Redis key prefix.
import { spawnSync } from 'node:child_process';
import { closeSync, createReadStream, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Fatal, freePort, httpReady, waitFor } from './processes.mjs';

/** `npm start`'s order; `--bare` runs the worker and the gateway only. */
const wholeSystem = ['auth', 'worker', 'budget', 'logging', 'gateway'];
const bareSystem = ['worker', 'gateway'];

/** The sum of the samples of one Prometheus series, by the value of one label. */
export function samplesBy(text, series, label) {
  const result = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${series}{`)) continue;
    const value = new RegExp(`${label}="([^"]*)"`).exec(line)?.[1] ?? '';
    result[value] = (result[value] ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return result;
}

export class Switchboard {
  /**
   * @param {{ root: string, processes: import('./processes.mjs').Processes, bare: boolean, environment: Record<string, string>, masterKey: string, logDirectory: string }} options
   */
  constructor(options) {
    this.options = options;
    this.names = options.bare ? bareSystem : wholeSystem;
    this.services = new Map();
    /** Gateway answers by status, carried over from gateways stopped during the run (profiling restarts). */
    this.answeredBefore = {};
  }

  get gatewayUrl() {
    return `http://127.0.0.1:${this.services.get('gateway').port}`;
  }

  /** Migrates the run's database (dist/apps/migrate), then starts every service in order. */
  async start() {
    const migrated = spawnSync(process.execPath, [join(this.options.root, 'dist', 'apps', 'migrate', 'main.js')], {
      env: { PATH: process.env.PATH, DATABASE_URL: this.options.environment.DATABASE_URL },
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 60_000,
    });
    if (migrated.status !== 0) throw new Error('database migrations failed (see above)');
    for (const name of this.names) {
      const port = await freePort();
      const metricsPort = await freePort();
      this.services.set(name, { name, port, metricsPort, child: undefined });
      await this.launch(name);
    }
  }

  environmentOf(name, service) {
    const health = String(service.port);
    const own = {
      auth: { AUTH_HEALTH_PORT: health, AUTH_HEALTH_HOST: '127.0.0.1' },
      worker: { WORKER_PROVIDERS: 'openai', WORKER_HEALTH_PORT: health, WORKER_HEALTH_HOST: '127.0.0.1' },
      budget: { BUDGET_HEALTH_PORT: health, BUDGET_HEALTH_HOST: '127.0.0.1' },
      logging: { LOGGING_HEALTH_PORT: health, LOGGING_HEALTH_HOST: '127.0.0.1' },
      gateway: { PORT: health, HOST: '127.0.0.1', MASTER_KEY: this.options.masterKey },
    }[name];
    return { ...this.options.environment, METRICS_PORT: String(service.metricsPort), METRICS_HOST: '127.0.0.1', ...own };
  }

  /** Starts one service (with `--cpu-prof` into `<profileDirectory>/<name>` when given) and waits until it is ready. */
  async launch(name, profileDirectory) {
    const service = this.services.get(name);
    const profile = profileDirectory ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDirectory, name)}`] : [];
    // tools/start.mjs's flags: the bench runs what `npm start` runs.
    const args = ['--max-semi-space-size=4', ...profile, join(this.options.root, 'dist', 'apps', name, 'main.js')];
    // Logs go to a file, as a deployment's would go to a pipe: their cost counts, the terminal stays readable.
    const log = openSync(join(this.options.logDirectory, `${name}.log`), 'a');
    service.child = this.options.processes.spawn(process.execPath, args, { env: this.environmentOf(name, service), stdio: ['ignore', log, log] });
    closeSync(log);
    const readiness = name === 'gateway' ? `${this.gatewayUrl}/health/readiness` : `http://127.0.0.1:${service.port}/health/readiness`;
    try {
      await waitFor(async () => {
        if (service.child.exitCode !== null) throw new Fatal(`${name} exited with code ${service.child.exitCode}`);
        return httpReady(readiness)();
      }, name);
    } catch (error) {
      const tail = readFileSync(join(this.options.logDirectory, `${name}.log`), 'utf8').split('\n').slice(-20).join('\n');
      throw new Error(`${error.message}; the end of its log:\n${tail}`);
    }
  }

  /**
   * Restarts the gateway and the worker (gateway drained first), with CPU profiles into `profileDirectory`
   * when given; stopping a profiled process writes its profile.
   */
  async restartHotPath(profileDirectory) {
    this.answeredBefore = addCounts(this.answeredBefore, await this.gatewayAnswered(false));
    await this.options.processes.stop(this.services.get('gateway').child);
    await this.options.processes.stop(this.services.get('worker').child);
    await this.launch('worker', profileDirectory);
    await this.launch('gateway', profileDirectory);
  }

  /** `{ name, pid }` of every running service. */
  pids() {
    return [...this.services.values()].filter((service) => service.child?.exitCode === null).map((service) => ({ name: service.name, pid: service.child.pid }));
  }

  /**
   * Requests the gateway answered over the whole run: `switchboard_requests_total` by HTTP status, plus
   * `switchboard_admission_rejections_total` (requests refused by budgets and rate limits, which the first
   * leaves out) as `refused <reason>`.
   */
  async gatewayAnswered(includeEarlier = true) {
    const { metricsPort } = this.services.get('gateway');
    const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`, { signal: AbortSignal.timeout(5_000) });
    const text = await response.text();
    const refused = Object.entries(samplesBy(text, 'switchboard_admission_rejections_total', 'reason')).map(([reason, count]) => [`refused ${reason}`, count]);
    const now = { ...samplesBy(text, 'switchboard_requests_total', 'status'), ...Object.fromEntries(refused) };
    return includeEarlier ? addCounts(this.answeredBefore, now) : now;
  }

  /** Log lines at warn level or above (and any line that is not pino's JSON), per service. */
  async warnings() {
    const result = {};
    for (const name of this.names) {
      const file = join(this.options.logDirectory, `${name}.log`);
      if (!existsSync(file)) continue;
      const lines = [];
      for await (const line of createInterface({ input: createReadStream(file) })) {
        const level = Number(/^\{"level":(\d+)/.exec(line)?.[1] ?? 100);
        if (line.trim() !== '' && level >= 40) lines.push(line);
      }
      result[name] = lines;
    }
    return result;
  }

  async stop() {
    const gateway = this.services.get('gateway')?.child;
    if (gateway) await this.options.processes.stop(gateway);
    await Promise.all([...this.services.values()].map((service) => service.child && this.options.processes.stop(service.child)));
  }
}

export function addCounts(left, right) {
  const result = { ...left };
  for (const [key, value] of Object.entries(right)) result[key] = (result[key] ?? 0) + value;
  return result;
}
