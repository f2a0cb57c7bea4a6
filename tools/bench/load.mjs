// Load generation helpers for the benchmark: closed-loop latency, open-loop fixed rate, time to
// first byte (undici, timed with hrtime), and the throughput ceiling (autocannon in its own process).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { Pool } from 'undici';

const require = createRequire(import.meta.url);

export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const elapsedMs = (start) => Number(process.hrtime.bigint() - start) / 1e6;

export function target(url, headers, body) {
  const parsed = new URL(url);
  return { origin: parsed.origin, path: parsed.pathname, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** Sequential requests on one connection: the latency a single caller sees. */
export async function closedLoop(spec, count, warmup) {
  const pool = new Pool(spec.origin, { connections: 1, pipelining: 1 });
  const latencies = [];
  let errors = 0;
  try {
    for (let index = 0; index < warmup + count; index += 1) {
      const start = process.hrtime.bigint();
      const response = await pool.request({ path: spec.path, method: 'POST', headers: spec.headers, body: spec.body });
      await response.body.dump();
      if (response.statusCode !== 200) errors += 1;
      if (index >= warmup) latencies.push(elapsedMs(start));
    }
  } finally {
    await pool.close();
  }
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), count: latencies.length, errors };
}

/** Time to the first body byte of a streamed answer, sequentially on one connection. */
export async function firstByte(spec, count, warmup) {
  const pool = new Pool(spec.origin, { connections: 1, pipelining: 1 });
  const values = [];
  try {
    for (let index = 0; index < warmup + count; index += 1) {
      const start = process.hrtime.bigint();
      const response = await pool.request({ path: spec.path, method: 'POST', headers: spec.headers, body: spec.body });
      let first;
      for await (const _chunk of response.body) first ??= elapsedMs(start);
      if (index >= warmup) values.push(first);
    }
  } finally {
    await pool.close();
  }
  return { p50: percentile(values, 50), p99: percentile(values, 99), count: values.length };
}

/** Requests issued on schedule at `rate` per second whatever the responses do (no coordinated omission). */
export async function openLoop(spec, rate, seconds) {
  const pool = new Pool(spec.origin, { connections: 256, pipelining: 1 });
  const latencies = [];
  let errors = 0;
  let sent = 0;
  const total = rate * seconds;
  const startedAt = process.hrtime.bigint();
  const inFlight = new Set();
  const fire = () => {
    const start = process.hrtime.bigint();
    const done = pool
      .request({ path: spec.path, method: 'POST', headers: spec.headers, body: spec.body })
      .then(async (response) => {
        await response.body.dump();
        if (response.statusCode !== 200) errors += 1;
        latencies.push(elapsedMs(start));
      })
      .catch(() => {
        errors += 1;
      })
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  };
  await new Promise((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor((elapsedMs(startedAt) / 1000) * rate));
      while (sent < due) {
        fire();
        sent += 1;
      }
      if (sent >= total) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  await Promise.allSettled([...inFlight]);
  const duration = elapsedMs(startedAt) / 1000;
  await pool.close();
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), achievedRate: Math.round(latencies.length / duration), errors };
}

/** The throughput ceiling with autocannon (64 connections) in its own process. */
export function ceiling(spec, seconds, pin) {
  const bin = require.resolve('autocannon/autocannon.js');
  const args = [bin, '-c', '64', '-d', String(seconds), '-m', 'POST', '-j', '-b', spec.body];
  for (const [name, value] of Object.entries(spec.headers)) args.push('-H', `${name}=${value}`);
  args.push(`${spec.origin}${spec.path}`);
  const command = pin ? ['taskset', ['-c', pin, process.execPath, ...args]] : [process.execPath, args];
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command[1], { stdio: ['ignore', 'pipe', 'ignore'] });
    let output = '';
    child.stdout.on('data', (data) => (output += data));
    child.on('exit', () => {
      try {
        const result = JSON.parse(output);
        resolve({ requestsPerSecond: Math.round(result.requests.average), non2xx: result.non2xx, errors: result.errors, p99: result.latency.p99 });
      } catch (error) {
        reject(error);
      }
    });
  });
}
