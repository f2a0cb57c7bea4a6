import type { ClassifiedFailure } from '@switchboard/messaging';

/** Node socket errors and pg's own messages for a connection that is gone or was never made. */
const connectionCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const connectionMessages = /connection terminated|not queryable|timeout exceeded when trying to connect|connection refused|server closed the connection/i;

/**
 * SQLSTATE classes (https://www.postgresql.org/docs/current/errcodes-appendix.html) that say the
 * database is away, busy or being operated on, never that the row is wrong: connection exception (08),
 * invalid authorization (28), invalid catalog name (3D: the database is missing), transaction rollback
 * (40: serialization failure, deadlock), insufficient resources (53), object not in prerequisite state
 * (55: "database is not currently accepting connections", lock not available), operator intervention
 * (57: admin shutdown, cannot connect now), system error (58).
 */
const transientClasses = new Set(['08', '28', '3D', '40', '53', '55', '57', '58']);

/**
 * What a failure to record one usage event means. Permanent: Postgres refuses the value itself
 * (class 22, data exception: out of range, a NUL byte, an invalid timestamp); retrying can never help.
 * Transient: the database is unreachable or busy; the event is fine and waits. Unknown: anything else,
 * including integrity-constraint violations (class 23: the ledger's own key is `ON CONFLICT DO NOTHING`,
 * so another violation may depend on what else is being written) and schema errors (class 42): retried
 * on the consumer's backoff, then parked at max_deliver.
 */
export function classifyLedgerFailure(error: unknown): ClassifiedFailure {
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : '';
  const message = error instanceof Error ? error.message : String(error);
  if (/^[0-9A-Z]{5}$/.test(code)) {
    const described = `Postgres ${code}: ${message}`;
    if (code.startsWith('22')) return { kind: 'permanent', reason: `Postgres refused the row (${code}: ${message})` };
    if (transientClasses.has(code.slice(0, 2))) return { kind: 'transient', reason: described };
    return { kind: 'unknown', reason: described };
  }
  if (connectionCodes.has(code) || connectionMessages.test(message)) return { kind: 'transient', reason: `Postgres unreachable: ${message}` };
  return { kind: 'unknown', reason: message };
}
