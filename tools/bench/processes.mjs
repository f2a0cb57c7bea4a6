// Child processes of the benchmark: every one is registered so none outlives the run, and each stop is
// bounded (SIGTERM, then SIGKILL after a grace period).
import { spawn } from 'node:child_process';
import { createServer, Socket } from 'node:net';

export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** An error that ends a wait at once (the process being waited for has exited). */
export class Fatal extends Error {}

/** Polls `check` every 100 ms until it returns true; throws after `timeoutMs`, or at once on a `Fatal`. */
export async function waitFor(check, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ready = await check().catch((error) => {
      if (error instanceof Fatal) throw error;
      return false;
    });
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} was not ready within ${timeoutMs / 1000} s`);
}

export const httpReady = (url) => async () => (await fetch(url, { signal: AbortSignal.timeout(1_000) })).status === 200;

export const tcpReady = (port) => () =>
  new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, '127.0.0.1', () => done(true));
  });

export class Processes {
  constructor() {
    this.children = new Set();
  }

  /** Spawns a child that dies with the benchmark. */
  spawn(command, args, options = {}) {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'], ...options });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  /** SIGTERM (a service drains and exits, writing its CPU profile), SIGKILL after `graceMs`. */
  async stop(child, graceMs = 15_000) {
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  killAll() {
    for (const child of this.children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
