// Load generation helpers for the benchmark: closed-loop latency, open-loop fixed rate, time to
// first byte (undici, timed with hrtime), and the throughput ceiling (wrk when installed, else
// autocannon, in its own process). Every helper counts the 200 answers it got, warm-up included, so
// the run can compare them with the ledger.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Pool } from 'undici';

const require = createRequire(import.meta.url);

export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const elapsedMs = (start) => Number(process.hrtime.bigint() - start) / 1e6;
/** Every wait has a bound: a target that stops answering fails the cell instead of hanging it. */
const bounded = { headersTimeout: 30_000, bodyTimeout: 30_000 };

export function target(url, headers, body) {
  const parsed = new URL(url);
  return { origin: parsed.origin, path: parsed.pathname, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** Sequential requests on one connection: the latency a single caller sees. */
export async function closedLoop(spec, count, warmup) {
  const pool = new Pool(spec.origin, { connections: 1, pipelining: 1, ...bounded });
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
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), count: latencies.length, errors, ok: warmup + count - errors };
}

/** Time to the first body byte of a streamed answer, sequentially on one connection. */
export async function firstByte(spec, count, warmup) {
  const pool = new Pool(spec.origin, { connections: 1, pipelining: 1, ...bounded });
  const values = [];
  let errors = 0;
  try {
    for (let index = 0; index < warmup + count; index += 1) {
      const start = process.hrtime.bigint();
      const response = await pool.request({ path: spec.path, method: 'POST', headers: spec.headers, body: spec.body });
      let first;
      for await (const _chunk of response.body) first ??= elapsedMs(start);
      if (response.statusCode !== 200) errors += 1;
      if (index >= warmup) values.push(first);
    }
  } finally {
    await pool.close();
  }
  return { p50: percentile(values, 50), p99: percentile(values, 99), count: values.length, errors, ok: warmup + count - errors };
}

/** Requests issued on schedule at `rate` per second whatever the responses do (no coordinated omission). */
export async function openLoop(spec, rate, seconds) {
  const pool = new Pool(spec.origin, { connections: 256, pipelining: 1, ...bounded });
  const latencies = [];
  let errors = 0;
  let ok = 0;
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
        if (response.statusCode === 200) ok += 1;
        else errors += 1;
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
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), achievedRate: Math.round(latencies.length / duration), errors, completed: latencies.length, ok };
}

/** The load generator of the ceiling cells: wrk when it is installed (lighter and steadier), else autocannon. */
export function ceilingTool(preferred) {
  if (preferred === 'autocannon') return 'autocannon';
  const found = spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
  if (preferred === 'wrk' && !found) throw new Error('--load wrk: wrk is not installed (apt-get install -y wrk)');
  return found ? 'wrk' : 'autocannon';
}

/** Runs a load generator; resolves with its stdout. Bounded: killed `seconds + 30` s after it starts. */
function run(command, args, seconds, pin) {
  const [file, argv] = pin ? ['taskset', ['-c', pin, command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 30) * 1000);
    let output = '';
    child.stdout.on('data', (data) => (output += data));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`${command} exited with code ${code}: ${output}`));
    });
  });
}

/** A wrk script that posts the spec's body and prints its summary as one JSON line. */
function wrkScript(spec, file) {
  const headers = Object.entries(spec.headers).map(([name, value]) => `wrk.headers[${JSON.stringify(name)}] = ${JSON.stringify(value)}`);
  writeFileSync(
    file,
    [
      'wrk.method = "POST"',
      `wrk.body = [==[${spec.body}]==]`,
      ...headers,
      'done = function(summary, latency, requests)',
      '  local e = summary.errors',
      '  io.write(string.format(\'{"requests":%d,"durationUs":%d,"status":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"p50Us":%d,"p99Us":%d}\\n\',',
      '    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout, latency:percentile(50), latency:percentile(99)))',
      'end',
      '',
    ].join('\n'),
  );
}

/**
 * The throughput ceiling at 64 connections for `seconds`. `ok` counts the 200 answers (wrk and autocannon
 * both count completed responses; requests still in flight when the time is up are not counted).
 */
export async function ceiling(spec, seconds, options) {
  const { tool, pin, scriptFile } = options;
  if (tool === 'wrk') {
    wrkScript(spec, scriptFile);
    const output = await run('wrk', ['-t1', '-c64', `-d${seconds}s`, '-s', scriptFile, `${spec.origin}${spec.path}`], seconds, pin);
    const line = output.split('\n').find((text) => text.startsWith('{"requests"'));
    if (!line) throw new Error(`wrk printed no summary: ${output}`);
    const result = JSON.parse(line);
    const socketErrors = result.connect + result.read + result.write + result.timeout;
    return {
      requestsPerSecond: Math.round(result.requests / (result.durationUs / 1e6)),
      completed: result.requests,
      ok: result.requests - result.status,
      non2xx: result.status,
      errors: socketErrors,
      p50: result.p50Us / 1000,
      p99: result.p99Us / 1000,
    };
  }
  const bin = require.resolve('autocannon/autocannon.js');
  const args = [bin, '-c', '64', '-d', String(seconds), '-m', 'POST', '-j', '-b', spec.body];
  for (const [name, value] of Object.entries(spec.headers)) args.push('-H', `${name}=${value}`);
  args.push(`${spec.origin}${spec.path}`);
  const result = JSON.parse(await run(process.execPath, args, seconds, pin));
  return {
    requestsPerSecond: Math.round(result.requests.average),
    completed: result.requests.total,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}
