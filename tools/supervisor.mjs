// The process supervisor behind `npm start` (tools/start.mjs): runs each Switchboard service as its own
// process, restarts a crashed one with backoff, and gives up (exit 1) when one keeps crashing or when the
// gateway dies. Bounds and reasons: docs/ARCHITECTURE.md, "Faults".
import { spawn } from 'node:child_process';

/** Restart delays: 0.5 s, 1 s, 2 s, 4 s, then 10 s at most; a service up for `stableMs` starts again at 0.5 s. */
export function restartDelayMs(consecutiveCrashes) {
  return Math.min(10_000, 500 * 2 ** Math.max(0, consecutiveCrashes - 1));
}

/** How a child ended, for a log line: `signal SIGKILL` or `exit code 1`. */
export function describeExit(code, signal) {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

/**
 * @typedef {object} ServiceSpec
 * @property {string} name
 * @property {string[]} args  node arguments (the app's entry and flags)
 * @property {Record<string, string>} env
 * @property {string} [readyUrl]  polled after a restart to say when the service serves again
 * @property {boolean} [essential]  its death stops everything (the gateway)
 */

export class Supervisor {
  /**
   * @param {{ maxRestarts: number, windowMs: number, stableMs?: number, cwd: string, log: (line: string) => void, onGiveUp: (reason: string) => void }} options
   */
  constructor(options) {
    this.options = { stableMs: 30_000, ...options };
    /** @type {Map<string, { spec: ServiceSpec, child: import('node:child_process').ChildProcess | undefined, crashes: number[], consecutive: number, startedAt: number, timer: NodeJS.Timeout | undefined }>} */
    this.services = new Map();
    this.stopping = false;
  }

  /** Starts a service; resolves with its child process. */
  start(spec) {
    const state = { spec, child: undefined, crashes: [], consecutive: 0, startedAt: 0, timer: undefined };
    this.services.set(spec.name, state);
    return this.launch(state);
  }

  /** @returns {import('node:child_process').ChildProcess | undefined} */
  child(name) {
    return this.services.get(name)?.child;
  }

  launch(state) {
    // Its own process group: a Ctrl-C in the terminal reaches only the supervisor, which stops the
    // services in order (the gateway drains first) instead of all of them at once.
    // An IPC channel too: a service whose channel closes (this supervisor is gone, even killed) stops itself.
    const child = spawn(process.execPath, state.spec.args, { cwd: this.options.cwd, env: state.spec.env, stdio: ['inherit', 'inherit', 'inherit', 'ipc'], detached: true });
    state.child = child;
    state.startedAt = Date.now();
    this.options.log(`${state.spec.name} started (pid ${child.pid})`);
    child.once('exit', (code, signal) => this.exited(state, child, code, signal));
    return child;
  }

  exited(state, child, code, signal) {
    if (this.stopping || state.child !== child) return;
    const how = describeExit(code, signal);
    if (state.spec.essential) {
      this.options.log(`${state.spec.name} exited unexpectedly (${how}); stopping everything`);
      this.options.onGiveUp(`${state.spec.name} exited (${how})`);
      return;
    }
    const now = Date.now();
    if (now - state.startedAt >= this.options.stableMs) state.consecutive = 0;
    state.consecutive += 1;
    state.crashes = [...state.crashes.filter((at) => now - at < this.options.windowMs), now];
    if (state.crashes.length > this.options.maxRestarts) {
      this.options.log(`${state.spec.name} exited unexpectedly (${how}): ${state.crashes.length} crashes within ${this.options.windowMs / 1_000} s; giving up`);
      this.options.onGiveUp(`${state.spec.name} kept crashing (${how})`);
      return;
    }
    const delay = restartDelayMs(state.consecutive);
    this.options.log(`${state.spec.name} exited unexpectedly (${how}); restarting in ${delay / 1_000} s (restart ${state.crashes.length} of ${this.options.maxRestarts} allowed within ${this.options.windowMs / 1_000} s)`);
    state.child = undefined;
    state.timer = setTimeout(() => {
      state.timer = undefined;
      if (this.stopping) return;
      const restarted = this.launch(state);
      if (state.spec.readyUrl) void this.announceReady(state, restarted);
    }, delay);
  }

  /** Says when a restarted service serves again (bounded: 30 s). */
  async announceReady(state, child) {
    const started = Date.now();
    while (Date.now() - started < 30_000 && !this.stopping && child.exitCode === null && child.signalCode === null) {
      try {
        if ((await fetch(state.spec.readyUrl, { signal: AbortSignal.timeout(1_000) })).status === 200) {
          this.options.log(`${state.spec.name} restarted and ready (pid ${child.pid}, ${Date.now() - started} ms)`);
          return;
        }
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (!this.stopping && child.exitCode === null && child.signalCode === null) this.options.log(`${state.spec.name} restarted but not ready after 30 s`);
  }

  /**
   * Stops every service: those named in `first` (in order, each waited for), then the rest together.
   * SIGTERM lets each finish its work (SHUTDOWN_GRACE_SECONDS); SIGKILL after `killAfterMs`.
   */
  async stop(first = [], killAfterMs = 60_000) {
    this.stopping = true;
    for (const state of this.services.values()) clearTimeout(state.timer);
    const stopOne = (state) => {
      const child = state?.child;
      if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      });
    };
    for (const name of first) await stopOne(this.services.get(name));
    await Promise.all([...this.services.entries()].filter(([name]) => !first.includes(name)).map(([, state]) => stopOne(state)));
  }

  /** Last resort when the supervisor itself exits: no service outlives it. */
  killAll() {
    for (const state of this.services.values()) {
      clearTimeout(state.timer);
      if (state.child && state.child.exitCode === null && state.child.signalCode === null) state.child.kill('SIGTERM');
    }
  }
}
