// What the system under test stands on, made private to the run: a nats-server with JetStream on a free
// port and its own store, a fresh database (dropped after), a unique Redis key prefix (cleaned after).
// Also finds the processes behind the shared servers: the Postgres backends of the run's database and
// the Redis server's pid.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import Redis from 'ioredis';
import { freePort, tcpReady, waitFor } from './processes.mjs';

export async function startNats(processes, scratch) {
  const port = await freePort();
  const binary = existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server';
  const child = processes.spawn(binary, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', join(scratch, 'nats')], { stdio: 'ignore' });
  await waitFor(tcpReady(port), 'nats-server', 10_000);
  return { child, url: `nats://127.0.0.1:${port}` };
}

/** A database URL with another database name. */
export function withDatabase(url, name) {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** Connects to the server's `postgres` database (never the run's own, so the bench's queries are not counted). */
export async function adminClient(databaseUrl) {
  const client = new pg.Client({ connectionString: withDatabase(databaseUrl, 'postgres'), connectionTimeoutMillis: 5_000, query_timeout: 10_000 });
  await client.connect();
  return client;
}

export async function createDatabase(admin, name) {
  await admin.query(`CREATE DATABASE "${name}"`);
}

export async function dropDatabase(admin, name) {
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/** Pids of the Postgres backends serving `database` (client backends and autovacuum workers alike). */
export async function backendPids(admin, database) {
  const result = await admin.query('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
  return result.rows.map((row) => row.pid);
}

/** The Redis server's pid when it runs on this machine (it is shared: its CPU includes other clients'). */
export async function redisPid(redisUrl) {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  try {
    await redis.connect();
    const info = await redis.info('server');
    const pid = Number(/process_id:(\d+)/.exec(info)?.[1]);
    return pid && existsSync(`/proc/${pid}/stat`) ? pid : undefined;
  } catch {
    return undefined;
  } finally {
    redis.disconnect();
  }
}

/** Deletes every Redis key under the run's prefix; returns how many. */
export async function cleanRedis(redisUrl, prefix) {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}
