import { randomBytes } from 'node:crypto';

/**
 * Request ids: a random per-process prefix and a counter. Unique across instances and restarts
 * without a random draw per request. Always generated here, never taken from the client: the id is
 * the usage event's deduplication key, so a client-chosen id could suppress a charge.
 */
const processPrefix = randomBytes(6).toString('hex');
let counter = 0;

export function nextRequestId(): string {
  counter += 1;
  return `req_${processPrefix}${counter.toString(36).padStart(6, '0')}`;
}
