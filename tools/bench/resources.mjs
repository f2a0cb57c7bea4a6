// CPU and memory of the processes under test, read from /proc: CPU time (utime + stime of
// /proc/<pid>/stat) per process over a load cell, RSS (VmRSS of /proc/<pid>/status) and PSS sampled every 250 ms.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let tickMs;
/** Milliseconds per clock tick (CLK_TCK, 100 on Linux: 10 ms resolution). */
function clockTickMs() {
  if (tickMs === undefined) {
    try {
      tickMs = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    } catch {
      tickMs = 10;
    }
  }
  return tickMs;
}

/** CPU time (user + system) of a process in ms, or undefined when it is gone. */
export function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: fields after it start at the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * clockTickMs();
  } catch {
    return undefined;
  }
}

/** Resident memory of a process in MB, or undefined when it is gone. */
export function rssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024);
  } catch {
    return undefined;
  }
}

/**
 * Proportional resident memory of a process in MB (`Pss` of /proc/<pid>/smaps_rollup): its private pages plus its
 * share of the pages it shares (the node binary's and libraries' pages are the same physical memory in every
 * service), so the figures of several processes add up to the memory they really hold together.
 */
export function pssMb(pid) {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    return Math.round(Number(/^Pss:\s+(\d+)/m.exec(rollup)[1]) / 1024);
  } catch {
    return undefined;
  }
}

/**
 * Watches named processes. `processes()` lists `{ name, pid }` now (it may change: Postgres backends come
 * and go, services restart); several pids may share a name (their CPU is added up). RSS is sampled for the
 * names in `rssNames` only (shared servers such as Postgres and Redis are left out).
 */
export class Monitor {
  constructor(processes, rssNames) {
    this.processes = processes;
    this.rssNames = new Set(rssNames);
    this.peaks = {};
    this.pssPeaks = {};
    this.cell = undefined;
    this.sampling = false;
  }

  /** Starts sampling RSS peaks (and the pids of a cell) every 250 ms. */
  start() {
    this.timer = setInterval(() => void this.sample(), 250);
  }

  stop() {
    clearInterval(this.timer);
  }

  /** Forgets the RSS peaks seen so far (peaks count from the first load cell). */
  resetPeaks() {
    this.peaks = {};
    this.pssPeaks = {};
  }

  async sample() {
    if (this.sampling) return;
    this.sampling = true;
    try {
      const list = await this.processes();
      for (const { name, pid } of list) {
        if (this.rssNames.has(name)) {
          const rss = rssMb(pid);
          if (rss !== undefined) this.peaks[name] = Math.max(this.peaks[name] ?? 0, rss);
          const pss = pssMb(pid);
          if (pss !== undefined) this.pssPeaks[name] = Math.max(this.pssPeaks[name] ?? 0, pss);
        }
        if (this.cell) this.track(this.cell, name, pid, 0);
      }
    } finally {
      this.sampling = false;
    }
  }

  /** Records a pid's CPU now; a pid first seen during the cell started in it (its baseline is 0). */
  track(cell, name, pid, baseline) {
    const now = cpuMs(pid);
    if (now === undefined) return;
    const entry = cell.pids.get(pid);
    if (entry) entry.last = now;
    else cell.pids.set(pid, { name, start: baseline ?? now, last: now });
  }

  /** Marks the start of a load cell. */
  async beginCell() {
    const cell = { pids: new Map(), startedAt: Date.now() };
    for (const { name, pid } of await this.processes()) this.track(cell, name, pid, undefined);
    this.cell = cell;
  }

  /** Ends the cell: CPU ms per process name since beginCell (gone pids count up to their last sample). */
  async endCell() {
    const cell = this.cell;
    this.cell = undefined;
    for (const { name, pid } of await this.processes()) this.track(cell, name, pid, 0);
    const totals = {};
    for (const { name, start, last } of cell.pids.values()) totals[name] = (totals[name] ?? 0) + (last - start);
    return { cpuMs: totals, seconds: (Date.now() - cell.startedAt) / 1000 };
  }

  /** RSS (or PSS, with `pssMb`) now, per name (several pids of one name are added up). */
  async current(measure = rssMb) {
    const result = {};
    for (const { name, pid } of await this.processes()) {
      if (!this.rssNames.has(name)) continue;
      const figure = measure(pid);
      if (figure !== undefined) result[name] = (result[name] ?? 0) + figure;
    }
    return result;
  }
}
