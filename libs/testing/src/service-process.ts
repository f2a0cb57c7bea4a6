import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** A built Switchboard app running as its own process, as in production. */
export class ServiceProcess {
  readonly output: string[] = [];
  private readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends a signal and resolves with the exit code once the process is gone. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<number | null> {
    if (!this.running) return this.child.exitCode;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  waitForExit(): Promise<number | null> {
    return this.exited;
  }

  logs(): string {
    return this.output.join('');
  }
}

/** Applies every migration to the isolation's database (the `migrate` app, as in production). */
export function runMigrations(environment: Record<string, string>): Promise<void> {
  const entry = join(repositoryRoot, 'dist', 'apps', 'migrate', 'main.js');
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [entry], { env: { PATH: process.env.PATH ?? '', ...environment }, cwd: repositoryRoot }, (error, _stdout, stderr) =>
      error ? reject(new Error(`migrations failed: ${stderr}`)) : resolve(),
    );
  });
}

export function startApp(app: 'gateway' | 'worker' | 'budget' | 'logging' | 'auth', name: string, environment: Record<string, string>): ServiceProcess {
  const entry = join(repositoryRoot, 'dist', 'apps', app, 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, ['--enable-source-maps', entry], {
    cwd: repositoryRoot,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new ServiceProcess(name, child);
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls a readiness URL until it answers 200 (test setup only). */
export async function waitUntilReady(url: string, service: ServiceProcess, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!service.running) throw new Error(`${service.name} exited during start:\n${service.logs()}`);
    try {
      const response = await fetch(url);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${service.name} was not ready within ${timeoutMs} ms:\n${service.logs()}`);
}
