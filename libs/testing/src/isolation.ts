import { randomBytes } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import pg from 'pg';
import { deleteEventStream } from '@switchboard/messaging';
import { streamName, subjectNamespace } from '@switchboard/contracts';
import type { SubjectNamespace } from '@switchboard/contracts';
import { serviceUrls } from './service-urls';
import { cloneTemplateDatabase } from './template-database';
import type { ServiceUrls } from './service-urls';

export interface Isolation {
  /** Unique per test file: `t<run><random>`. */
  id: string;
  subjectPrefix: string;
  namespace: SubjectNamespace;
  redisKeyPrefix: string;
  databaseName: string;
  databaseUrl: string;
  /** The database is a copy of the run's migrated template (no migration run needed). */
  migrated: boolean;
  urls: ServiceUrls;
  /** Environment for a spawned service of this isolation. */
  environment: Record<string, string>;
  cleanup(): Promise<void>;
}

/**
 * Everything one test file touches on the shared servers, named uniquely: its own database,
 * subject prefix, JetStream streams and Redis key prefix. `cleanup()` removes all of it.
 */
export interface IsolationOptions {
  /** An empty database instead of a copy of the migrated template (tests of the migrations themselves). */
  emptyDatabase?: boolean;
}

export async function createIsolation(options: IsolationOptions = {}): Promise<Isolation> {
  const urls = serviceUrls();
  const runId = process.env.SWITCHBOARD_TEST_RUN_ID ?? randomBytes(4).toString('hex');
  const id = `t${runId}${randomBytes(3).toString('hex')}`;
  const databaseName = `sbtest_${id}`;
  const admin = new pg.Client({ connectionString: urls.databaseUrl });
  await admin.connect();
  let migrated: boolean;
  try {
    migrated = await cloneTemplateDatabase(admin, databaseName, options.emptyDatabase ? undefined : process.env.SWITCHBOARD_TEST_TEMPLATE_DB);
  } finally {
    await admin.end();
  }
  const databaseUrl = withDatabase(urls.databaseUrl, databaseName);
  const namespace = subjectNamespace(id);
  const redisKeyPrefix = `${id}:`;
  return {
    id,
    subjectPrefix: id,
    namespace,
    redisKeyPrefix,
    databaseName,
    databaseUrl,
    migrated,
    urls,
    environment: {
      NATS_URL: urls.natsUrl,
      DATABASE_URL: databaseUrl,
      REDIS_URL: urls.redisUrl,
      REDIS_KEY_PREFIX: redisKeyPrefix,
      SWITCHBOARD_SUBJECT_PREFIX: id,
    },
    cleanup: async () => {
      await dropStreams(urls.natsUrl, [streamName(namespace, 'USAGE'), streamName(namespace, 'USAGE_DLQ'), `OBJ_${streamName(namespace, 'PAYLOADS')}`]);
      await deleteRedisKeys(urls.redisUrl, redisKeyPrefix);
      await dropDatabase(urls.databaseUrl, databaseName);
    },
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function dropStreams(natsUrl: string, names: string[]): Promise<void> {
  const connection = await connect({ servers: natsUrl });
  try {
    for (const name of names) await deleteEventStream(connection, name);
  } finally {
    await connection.close();
  }
}

async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
