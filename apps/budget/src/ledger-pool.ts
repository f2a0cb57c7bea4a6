import pg from 'pg';
import type { Logger } from '@switchboard/observability';

export interface LedgerPoolOptions {
  connectionString: string;
  max: number;
  connectionTimeoutMs: number;
}

/**
 * The ledger's Postgres pool, safe against connections that die while checked out.
 *
 * pg-pool listens for `error` only on idle clients and removes that listener while a client is checked
 * out; pg emits `error` on socket end even after the running query already failed (a backend
 * terminated by `pg_terminate_backend`, a restart, a failover). With no listener that `error` is an
 * uncaught exception and the budget service died in the middle of a Postgres outage, leaving every
 * event of the outage unrecorded until someone restarted it. Every client gets its own listener: the
 * query in flight rejects as before, and the pool discards the broken client when it is released.
 */
export function createLedgerPool(options: LedgerPoolOptions, logger: Logger): pg.Pool {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.max, connectionTimeoutMillis: options.connectionTimeoutMs });
  const lost = (error: Error) => logger.warn({ err: error }, 'Postgres connection lost; the pool opens a new one on demand');
  pool.on('connect', (client) => client.on('error', lost));
  // An idle client's error reaches the pool too (it drops the client); the listener above already logged it.
  pool.on('error', () => undefined);
  return pool;
}
