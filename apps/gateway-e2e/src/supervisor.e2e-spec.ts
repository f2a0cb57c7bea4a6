import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation, freePort, repositoryRoot } from '@switchboard/testing';
import type { Isolation } from '@switchboard/testing';

const masterKey = 'sk-supervisor-test';
const config = 'model_list:\n  - model_name: mock-gpt\n    litellm_params:\n      model: mock/mock-gpt\n';

/** `npm start` (tools/start.mjs) against this file's isolation: its own database, subjects, Redis prefix and ports. */
class StartedSystem {
  readonly output: string[] = [];
  readonly exited: Promise<number | null>;
  baseUrl = '';

  private constructor(readonly process: ChildProcess) {
    process.stdout?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    process.stderr?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.exited = new Promise((resolve) => process.once('exit', (code) => resolve(code)));
  }

  static async start(isolation: Isolation, environment: Record<string, string> = {}): Promise<StartedSystem> {
    const directory = mkdtempSync(join(tmpdir(), 'switchboard-supervisor-'));
    const configPath = join(directory, 'config.yaml');
    writeFileSync(configPath, config);
    const port = await freePort();
    const ports = { WORKER_HEALTH_PORT: await freePort(), AUTH_HEALTH_PORT: await freePort(), BUDGET_HEALTH_PORT: await freePort(), LOGGING_HEALTH_PORT: await freePort() };
    const child = spawn(process.execPath, [join(repositoryRoot, 'tools', 'start.mjs'), '--config', configPath, '--port', String(port), '--no-build'], {
      cwd: repositoryRoot,
      env: {
        PATH: process.env.PATH ?? '',
        ...isolation.environment,
        MASTER_KEY: masterKey,
        HOST: '127.0.0.1',
        ...Object.fromEntries(Object.entries(ports).map(([name, value]) => [name, String(value)])),
        WORKER_HEALTH_HOST: '127.0.0.1',
        AUTH_HEALTH_HOST: '127.0.0.1',
        BUDGET_HEALTH_HOST: '127.0.0.1',
        LOGGING_HEALTH_HOST: '127.0.0.1',
        // Other sessions run Switchboard on this machine: no fixed metrics ports.
        METRICS_PORT: '0',
        LOG_LEVEL: 'warn',
        SHUTDOWN_GRACE_SECONDS: '5',
        ...environment,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const system = new StartedSystem(child);
    system.baseUrl = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    while (!system.logs().includes('Switchboard is running') && Date.now() < deadline) {
      if (child.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (!system.logs().includes('Switchboard is running')) {
      // Nothing of a start that failed outlives the test.
      system.kill();
      throw new Error(`npm start ${child.exitCode !== null ? 'exited during start' : 'did not come up within 60 s'}:\n${system.logs()}`);
    }
    return system;
  }

  logs(): string {
    return this.output.join('');
  }

  /** The pid of the service's current process, from the supervisor's `<name> started (pid N)` lines. */
  pid(service: string): number {
    const matches = [...this.logs().matchAll(new RegExp(`switchboard: ${service} started \\(pid (\\d+)\\)`, 'g'))];
    const last = matches.at(-1);
    if (!last) throw new Error(`no pid for ${service} in:\n${this.logs()}`);
    return Number(last[1]);
  }

  /** Every pid the supervisor started. */
  pids(): number[] {
    return [...this.logs().matchAll(/ started \(pid (\d+)\)/g)].map((match) => Number(match[1]));
  }

  async waitForLog(text: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.logs().includes(text) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    if (!this.logs().includes(text)) throw new Error(`"${text}" not logged within ${timeoutMs} ms:\n${this.logs()}`);
  }

  /** Cleanup: whatever is left of this run, the supervisor and each service it started, is killed. */
  kill(): void {
    for (const pid of [this.process.pid ?? 0, ...this.pids()]) {
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  }
}

function alive(pid: number): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function allGone(pids: number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return !pids.some(alive);
}

describe('npm start supervises the services', () => {
  let isolation: Isolation;
  const started: StartedSystem[] = [];
  const start = async (environment: Record<string, string> = {}) => {
    const system = await StartedSystem.start(isolation, environment);
    started.push(system);
    return system;
  };

  beforeAll(async () => {
    isolation = await createIsolation();
  });

  afterEach(() => {
    for (const system of started.splice(0)) system.kill();
  });

  afterAll(async () => {
    await isolation?.cleanup();
  });

  it('restarts a SIGKILLed worker within 5 s; meanwhile the gateway answers 503 no_worker with retry-after at once, then serves again; SIGTERM stops it all with exit 0', async () => {
    const system = await start();
    const client = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: masterKey, maxRetries: 0, timeout: 3_000 });
    const ask = () => client.chat.completions.create({ model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }] });
    expect((await ask()).choices[0].message.content).toBeTruthy();

    const worker = system.pid('worker');
    const killedAt = Date.now();
    process.kill(worker, 'SIGKILL');
    // Once the supervisor has seen the exit, NATS has seen the connection close too (give it a moment to drop
    // the subscription). A request racing the kill itself reaches a dead subscriber: that is worker liveness,
    // the bus transport's bound, not the supervisor's.
    await system.waitForLog('switchboard: worker exited unexpectedly', 2_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Until the new worker serves: every answer is prompt, and those without a worker are 503 no_worker with retry-after.
    const answers: Array<{ status: number; code?: string; retryAfter?: string | null; ms: number }> = [];
    let servedAgainAt = 0;
    while (Date.now() - killedAt < 10_000) {
      const sent = Date.now();
      try {
        await ask();
        answers.push({ status: 200, ms: Date.now() - sent });
        servedAgainAt = Date.now();
        break;
      } catch (error) {
        if (!(error instanceof OpenAI.APIError)) throw error;
        answers.push({ status: error.status ?? 0, code: String(error.code), retryAfter: error.headers?.get('retry-after'), ms: Date.now() - sent });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    console.info(`worker SIGKILLed: served again after ${servedAgainAt - killedAt} ms; ${answers.length - 1} answers meanwhile, slowest ${Math.max(...answers.map((answer) => answer.ms))} ms`);
    expect(servedAgainAt - killedAt).toBeGreaterThan(0);
    expect(servedAgainAt - killedAt).toBeLessThan(5_000);
    const refused = answers.filter((answer) => answer.status !== 200);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) {
      expect(answer).toMatchObject({ status: 503, code: 'no_worker' });
      expect(Number(answer.retryAfter)).toBeGreaterThan(0);
    }
    expect(Math.max(...answers.map((answer) => answer.ms))).toBeLessThan(2_000);
    expect(system.logs()).toContain('switchboard: worker exited unexpectedly (signal SIGKILL); restarting in 0.5 s');
    await system.waitForLog('switchboard: worker restarted and ready', 5_000);
    expect(system.pid('worker')).not.toBe(worker);
    expect(alive(worker)).toBe(false);

    const pids = [system.process.pid ?? 0, ...system.pids()];
    system.process.kill('SIGTERM');
    expect(await system.exited).toBe(0);
    expect(await allGone(pids, 10_000)).toBe(true);
  });

  it('gives up with exit code 1 when a service keeps crashing past its restart budget, and stops every other service', async () => {
    const system = await start({ SUPERVISOR_MAX_RESTARTS: '1', SUPERVISOR_RESTART_WINDOW_SECONDS: '60' });
    const first = system.pid('budget');
    process.kill(first, 'SIGKILL');
    await system.waitForLog('switchboard: budget restarted and ready', 10_000);
    const pids = [system.process.pid ?? 0, ...system.pids()];
    process.kill(system.pid('budget'), 'SIGKILL');
    expect(await system.exited).toBe(1);
    expect(system.logs()).toMatch(/budget exited unexpectedly \(signal SIGKILL\): 2 crashes within 60 s; giving up/);
    expect(await allGone(pids, 10_000)).toBe(true);
  });

  it('a SIGKILLed supervisor leaves no orphans: every service sees its channel close and stops', async () => {
    const system = await start();
    const services = system.pids();
    expect(services).toHaveLength(5);
    process.kill(system.process.pid ?? 0, 'SIGKILL');
    expect(await allGone(services, 15_000)).toBe(true);
  });

  it('exits with code 1 when the gateway itself dies, stopping the services behind it', async () => {
    const system = await start();
    const pids = [system.process.pid ?? 0, ...system.pids()];
    process.kill(system.pid('gateway'), 'SIGKILL');
    expect(await system.exited).toBe(1);
    expect(system.logs()).toContain('switchboard: gateway exited unexpectedly (signal SIGKILL); stopping everything');
    expect(await allGone(pids, 10_000)).toBe(true);
  });
});
