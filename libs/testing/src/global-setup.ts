import { randomBytes } from 'node:crypto';

/**
 * Runs once per `vitest run`: gives the run an id that every isolation helper derives its
 * database name, subject prefix, stream names and Redis key prefix from.
 */
export default function setup(): void {
  process.env.SWITCHBOARD_TEST_RUN_ID ??= randomBytes(4).toString('hex');
}
