import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamName, usageSubjects } from '@switchboard/contracts';
import type { UsageEventV1 } from '@switchboard/contracts';
import type { DataSource } from 'typeorm';
import type { SwitchboardConfig } from '@switchboard/config';
import { SpendLedgerRepository, createSpendDataSource } from '@switchboard/data-access-spend';
import { connectionFeatures, deadLetterHeader, ensureEventStream } from '@switchboard/messaging';
import { createLogger, startTracing } from '@switchboard/observability';
import { PricingService } from '@switchboard/pricing';
import { createIsolation, repositoryRoot, runMigrations } from '@switchboard/testing';
import type { Isolation } from '@switchboard/testing';
import { UsageLedgerConsumer } from './usage-ledger.consumer';
import { UsagePricer } from './usage-pricer';

// Short bounds so the test sees every path: a 1 s ack wait, retries 1 s then 0.5 s apart, parked on the 3rd delivery.
const policy = { backoffMs: [1_000, 500], maxDeliver: 3 };
const durableName = 'budget-ledger';

function usageEvent(requestId: string, changes: Partial<UsageEventV1> = {}): UsageEventV1 {
  return {
    v: 1,
    requestId,
    occurredAt: new Date().toISOString(),
    callType: 'chat',
    stream: false,
    status: 'success',
    provider: 'openai',
    modelGroup: 'priced',
    deploymentId: 'unknown',
    upstreamModel: 'gpt-4o',
    usage: { inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 5, text: 5, reasoning: 0 } },
    latencyMs: 5,
    ...changes,
  };
}

/** The test's own connection; the outage test terminates it, which must not crash the test process. */
async function openDatabase(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

const until = async (check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
};

describe('the ledger consumer: poison events terminate, Postgres outages lose nothing', () => {
  let isolation: Isolation;
  let connection: NatsConnection;
  let manager: JetStreamManager;
  let dataSource: DataSource;
  let database: pg.Client;
  let consumer: UsageLedgerConsumer;
  const usageStream = () => streamName(isolation.namespace, 'USAGE');
  const deadStream = () => streamName(isolation.namespace, 'USAGE_DLQ');
  const publish = (requestId: string, body: unknown) =>
    jetstream(connection).publish(usageSubjects.recorded(isolation.namespace), typeof body === 'string' ? body : JSON.stringify(body), { msgID: requestId });
  const rows = async (requestId: string) => (await database.query<{ count: number }>('SELECT count(*)::int AS count FROM spend_ledger WHERE request_id = $1', [requestId])).rows[0].count;
  const deadLetters = async () => {
    const info = await manager.streams.info(deadStream());
    const letters = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq += 1) {
      const stored = await manager.streams.getMessage(deadStream(), { seq }).catch(() => null);
      if (stored) letters.push({ seq, id: stored.header.get(deadLetterHeader.messageId), reason: stored.header.get(deadLetterHeader.reason), deliveries: Number(stored.header.get(deadLetterHeader.deliveries)), consumer: stored.header.get(deadLetterHeader.consumer) });
    }
    return letters;
  };
  const letterFor = async (id: string) => (await deadLetters()).filter((letter) => letter.id === id);
  const ledgerConsumerInfo = () => manager.consumers.info(usageStream(), durableName);

  beforeAll(async () => {
    isolation = await createIsolation();
    await runMigrations(isolation.environment);
    connection = await connect({ servers: isolation.urls.natsUrl });
    manager = await jetstreamManager(connection);
    await ensureEventStream(connection, { name: usageStream(), subjects: [usageSubjects.all(isolation.namespace)], duplicateWindowMs: 60_000, maxAgeMs: 3_600_000 });
    const logger = createLogger({ service: 'budget-test', level: 'silent' });
    dataSource = await createSpendDataSource({ url: isolation.databaseUrl, poolSize: 2 }).initialize();
    const config: SwitchboardConfig = { sourcePath: 'x', modelList: [], routerSettings: {}, litellmSettings: {}, generalSettings: { maxRequestSizeMb: 10 }, warnings: [] };
    consumer = new UsageLedgerConsumer(connection, isolation.namespace, new SpendLedgerRepository(dataSource), new UsagePricer(PricingService.fromSettings(config, {})), logger, { durableName, policy }, startTracing('budget-test', {}));
    await consumer.start();
    database = await openDatabase(isolation.databaseUrl);
  });

  afterAll(async () => {
    await consumer?.stop();
    await database?.end();
    await dataSource?.destroy();
    await connection?.close();
    await isolation?.cleanup();
  });

  it('configures the consumer with max_deliver and the backoff list', async () => {
    const { config } = await ledgerConsumerInfo();
    expect(config.max_deliver).toBe(3);
    expect(config.backoff).toEqual([1_000_000_000, 500_000_000]);
    expect(config.ack_wait).toBe(1_000_000_000);
  });

  it('a poison usage event is dead-lettered exactly once (on the nats-server this machine runs)', async () => {
    const server = connectionFeatures(connection);
    await publish('poison-1', '{"not":"an event"}');
    await publish('after-poison', usageEvent('after-poison'));
    expect(await until(async () => (await letterFor('poison-1')).length === 1 && (await rows('after-poison')) === 1, 10_000)).toBe(true);
    // Several ack waits later: not redelivered, not parked again (on 2.9 a `term(reason)` would have been ignored).
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    const letters = await letterFor('poison-1');
    expect(letters, `server ${server.version}`).toHaveLength(1);
    expect(letters[0]).toMatchObject({ consumer: durableName, deliveries: 1 });
    expect(letters[0].reason).toMatch(/^invalid usage event: /);
    const info = await ledgerConsumerInfo();
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_redelivered).toBe(0);
  });

  it('a value Postgres refuses (integer out of range) is parked at once, with Postgres’s reason', async () => {
    const tooMany = usageEvent('too-many-tokens', { usage: { inputTokens: { total: 3_000_000_000, noCache: 3_000_000_000, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } } });
    await publish('too-many-tokens', tooMany);
    expect(await until(async () => (await letterFor('too-many-tokens')).length === 1, 10_000)).toBe(true);
    const [letter] = await letterFor('too-many-tokens');
    expect(letter.deliveries).toBe(1);
    expect(letter.reason).toMatch(/Postgres refused the row \(22003: .*out of range/);
    expect(await rows('too-many-tokens')).toBe(0);
  });

  it('an event a constraint refuses is retried on the backoff, parked at max_deliver, and the ledger keeps flowing', async () => {
    await database.query("ALTER TABLE spend_ledger ADD CONSTRAINT refuse_for_test CHECK (model_group <> 'refused')");
    const started = Date.now();
    await publish('refused', usageEvent('refused', { modelGroup: 'refused' }));
    const later = ['flow-1', 'flow-2', 'flow-3'];
    for (const id of later) await publish(id, usageEvent(id));
    // Events behind it land while it is still being retried.
    const landed = async () => {
      for (const id of later) if ((await rows(id)) !== 1) return false;
      return true;
    };
    expect(await until(landed, 5_000)).toBe(true);
    expect(await until(async () => (await letterFor('refused')).length === 1, 10_000)).toBe(true);
    const [letter] = await letterFor('refused');
    expect(letter.deliveries).toBe(3);
    expect(letter.reason).toMatch(/^gave up after 3 deliveries: Postgres 23514: .*refuse_for_test/);
    // Deliveries at 0, +1 s, +1.5 s: parked on the third, not before the backoff allowed.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
    expect(await rows('refused')).toBe(0);
    expect((await ledgerConsumerInfo()).num_ack_pending).toBe(0);

    // The operator fixes the cause and replays it: recorded once, however often it is replayed.
    await database.query('ALTER TABLE spend_ledger DROP CONSTRAINT refuse_for_test');
    const tool = (...args: string[]) =>
      new Promise<{ code: number; stdout: string }>((resolve) =>
        execFile(process.execPath, [join(repositoryRoot, 'tools', 'dead-letters.mjs'), ...args], { env: { ...process.env, NATS_URL: isolation.urls.natsUrl, SWITCHBOARD_SUBJECT_PREFIX: isolation.subjectPrefix } }, (error, stdout) =>
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }),
        ),
      );
    const listed = await tool('list', '--json');
    expect(listed.code).toBe(0);
    const entries = listed.stdout.trim().split('\n').map((line) => JSON.parse(line) as { seq: number; messageId: string; consumer: string; event: { modelGroup?: string } });
    const refused = entries.find((entry) => entry.messageId === 'refused');
    expect(refused).toMatchObject({ consumer: durableName, event: { modelGroup: 'refused' } });
    const replayed = await tool('replay', String(refused?.seq), '--keep');
    expect(replayed.stdout).toContain(`replayed for ${durableName}`);
    expect(await until(async () => (await rows('refused')) === 1, 10_000)).toBe(true);
    await tool('replay', String(refused?.seq));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await rows('refused')).toBe(1);
    expect(await letterFor('refused')).toHaveLength(0);
  });

  it('while Postgres refuses connections the event is held (no delivery counted) and recorded when it returns', async () => {
    const admin = new pg.Client({ connectionString: isolation.urls.databaseUrl });
    await admin.connect();
    const before = (await ledgerConsumerInfo()).num_redelivered;
    try {
      await admin.query(`ALTER DATABASE "${isolation.databaseName}" ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [isolation.databaseName]);
      await publish('during-outage', usageEvent('during-outage'));
      // Four ack waits: a nak'd or timed-out event would have been redelivered, and parked at max_deliver.
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      const info = await ledgerConsumerInfo();
      expect(info.num_ack_pending).toBe(1);
      expect(info.num_redelivered).toBe(before);
    } finally {
      await admin.query(`ALTER DATABASE "${isolation.databaseName}" ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    await database.end().catch(() => undefined);
    database = await openDatabase(isolation.databaseUrl);
    expect(await until(async () => (await rows('during-outage')) === 1, 5_000)).toBe(true);
    expect(await letterFor('during-outage')).toHaveLength(0);
  });
});
