// The usage path behind the requests: how far the JetStream consumers (budget ledger, logging) are
// behind, waiting (bounded) for them to catch up, and the ledger rows of the run's database.
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';

export class UsageWatch {
  static async connect(natsUrl) {
    const connection = await connect({ servers: natsUrl, name: 'switchboard-bench', timeout: 5_000 });
    return new UsageWatch(connection, await jetstreamManager(connection, { timeout: 5_000 }));
  }

  constructor(connection, manager) {
    this.connection = connection;
    this.manager = manager;
  }

  /** Messages stored in every stream, and messages every durable consumer has not acknowledged yet. */
  async backlog() {
    let stored = 0;
    let pending = 0;
    const consumers = {};
    for await (const stream of this.manager.streams.list()) {
      stored += stream.state.last_seq;
      for await (const consumer of this.manager.consumers.list(stream.config.name)) {
        const behind = consumer.num_pending + consumer.num_ack_pending;
        consumers[`${stream.config.name}/${consumer.name}`] = behind;
        pending += behind;
      }
    }
    return { stored, pending, consumers };
  }

  /**
   * Waits until every consumer has acknowledged every stored message and nothing new was stored for two
   * polls in a row (the worker's publisher lingers a few ms), at most `timeoutMs`.
   */
  async waitCaughtUp(timeoutMs) {
    const started = Date.now();
    let previous;
    let last;
    while (Date.now() - started < timeoutMs) {
      last = await this.backlog();
      if (last.pending === 0 && previous?.pending === 0 && previous.stored === last.stored) return { caughtUp: true, waitedMs: Date.now() - started, ...last };
      previous = last;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return { caughtUp: false, waitedMs: Date.now() - started, ...last };
  }

  async close() {
    await this.connection.close();
  }
}

/** Ledger rows of the run's database by status (success, error, ...). */
export async function ledgerRows(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000, query_timeout: 30_000 });
  await client.connect();
  try {
    const result = await client.query('SELECT status, count(*)::int AS rows FROM spend_ledger GROUP BY status');
    return Object.fromEntries(result.rows.map((row) => [row.status, row.rows]));
  } finally {
    await client.end();
  }
}

/**
 * Every request the gateway answered must have exactly one ledger row, and every 200 a `success` row. A
 * request whose client hung up (answered 499: in flight when wrk's time was up) is recorded too, as
 * `success` when the upstream call had finished, else `cancelled`; so the 200s must lie between the
 * success rows less the hang-ups and the success rows.
 */
export function ledgerCheck({ clientOk, gatewayAnswered, rows, caughtUp }) {
  const sum = (counts) => Object.values(counts).reduce((total, value) => total + value, 0);
  const answered = sum(gatewayAnswered);
  const recorded = sum(rows);
  const ok = gatewayAnswered['200'] ?? 0;
  const hungUp = gatewayAnswered['499'] ?? 0;
  const success = rows.success ?? 0;
  const oneRowPerRequest = recorded === answered;
  const everyOkRecorded = ok <= success && success <= ok + hungUp;
  return {
    clientOk,
    gatewayAnswered,
    rows,
    answered,
    recorded,
    caughtUp: caughtUp.caughtUp,
    waitedMs: caughtUp.waitedMs,
    pending: caughtUp.pending,
    oneRowPerRequest,
    everyOkRecorded,
    match: caughtUp.caughtUp && oneRowPerRequest && everyOkRecorded,
  };
}
