import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import OpenAI from 'openai';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamName, usageSubjects } from '@switchboard/contracts';
import { createIsolation, repositoryRoot, sendJson, startFakeOpenAiUpstream, startFakeServer, startSystem } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';
import { pricedUpstreamConfig } from './e2e-config';

interface Letter {
  seq: number;
  consumer: string;
  reason: string;
  deliveries: number;
  messageId?: string;
}

/** The dead-letter tool (`npm run dead-letters`), on this file's isolation. */
function deadLetters(isolation: Isolation, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      [join(repositoryRoot, 'tools', 'dead-letters.mjs'), ...args],
      { env: { PATH: process.env.PATH ?? '', NATS_URL: isolation.urls.natsUrl, SWITCHBOARD_SUBJECT_PREFIX: isolation.subjectPrefix } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

describe('poison usage events terminate with the budget and logging services running', () => {
  let isolation: Isolation;
  let upstream: FakeServer;
  let webhook: FakeServer;
  let system: RunningSystem;
  let connection: NatsConnection;
  let manager: JetStreamManager;
  let database: pg.Client;

  const letters = async (): Promise<Letter[]> => {
    const listed = await deadLetters(isolation, 'list', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    return listed.stdout.trim() === '' || listed.stdout.startsWith('no dead-letter stream') ? [] : listed.stdout.trim().split('\n').map((line) => JSON.parse(line) as Letter);
  };
  const ledgerRows = async (requestId: string) => (await database.query<{ count: number }>('SELECT count(*)::int AS count FROM spend_ledger WHERE request_id = $1', [requestId])).rows[0].count;
  const chat = async () => {
    const client = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: system.masterKey, maxRetries: 0 });
    const { response } = await client.chat.completions.create({ model: 'priced', messages: [{ role: 'user', content: 'x' }] }).withResponse();
    return response.headers.get('x-request-id') ?? '';
  };
  const eventually = async (check: () => Promise<boolean>, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await check()) return true;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return check();
  };

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startFakeOpenAiUpstream();
    webhook = await startFakeServer((_request, response) => sendJson(response, 200, {}));
    system = await startSystem({
      isolation,
      config: pricedUpstreamConfig(upstream.url, 'litellm_settings:\n  success_callback: ["webhook"]\n'),
      workers: [{ providers: 'openai' }],
      budget: true,
      // Short bounds so the test sees them: the ledger's ack wait 1 s, then 0.5 s; parked on the 3rd delivery.
      budgetEnvironment: { USAGE_BACKOFF_SECONDS: '1,0.5', USAGE_MAX_DELIVERIES: '3' },
      logging: { GENERIC_LOGGER_ENDPOINT: `${webhook.url}/hook`, CALLBACK_TIMEOUT_MS: '2000', CALLBACK_BACKOFF_SECONDS: '3', CALLBACK_MAX_DELIVERIES: '3' },
    });
    connection = await connect({ servers: isolation.urls.natsUrl });
    manager = await jetstreamManager(connection);
    database = new pg.Client({ connectionString: isolation.databaseUrl });
    await database.connect();
  });

  afterAll(async () => {
    await database?.end();
    await connection?.close();
    await system?.stop();
    await Promise.all([upstream?.close(), webhook?.close()]);
    await isolation?.cleanup();
  });

  it('a poison usage event is dead-lettered exactly once, by the ledger consumer, and everything behind it flows', async () => {
    await jetstream(connection).publish(usageSubjects.recorded(isolation.namespace), '{"v":1,"requestId":42}', { msgID: 'poison-e2e' });
    const after = await chat();
    expect(await eventually(async () => (await ledgerRows(after)) === 1, 10_000)).toBe(true);
    expect(await eventually(async () => (await letters()).some((letter) => letter.messageId === 'poison-e2e'), 10_000)).toBe(true);
    // Well past every consumer's ack wait (ledger 1 s, logging 3 s): nobody redelivered or parked it again.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const poison = (await letters()).filter((letter) => letter.messageId === 'poison-e2e');
    expect(poison).toHaveLength(1);
    expect(poison[0]).toMatchObject({ consumer: 'budget-ledger', deliveries: 1 });
    expect(poison[0].reason).toMatch(/^invalid usage event: requestId: /);
    for (const durable of ['budget-ledger', 'logging-webhook-success', 'logging-per-caller']) {
      const info = await manager.consumers.info(streamName(isolation.namespace, 'USAGE'), durable);
      expect(info.num_ack_pending, durable).toBe(0);
      expect(info.num_redelivered, durable).toBe(0);
      expect(info.config.max_deliver, durable).toBe(3);
    }
    expect(webhook.requests.flatMap((request) => (request.json as Array<{ id: string }>).map((payload) => payload.id))).toContain(after);
  });

  it('an event Postgres refuses is parked after max_deliver while the ledger keeps flowing, and a replay records it once', async () => {
    await database.query("ALTER TABLE spend_ledger ADD CONSTRAINT refuse_for_e2e CHECK (request_id <> 'req_refused')");
    const event = {
      v: 1,
      requestId: 'req_refused',
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
    };
    await jetstream(connection).publish(usageSubjects.recorded(isolation.namespace), JSON.stringify(event), { msgID: 'req_refused' });
    // Requests made while it is being retried reach the ledger at once.
    const during = [await chat(), await chat()];
    expect(await eventually(async () => (await ledgerRows(during[0])) === 1 && (await ledgerRows(during[1])) === 1, 5_000)).toBe(true);
    expect(await eventually(async () => (await letters()).some((letter) => letter.messageId === 'req_refused'), 10_000)).toBe(true);
    const [refused] = (await letters()).filter((letter) => letter.messageId === 'req_refused');
    expect(refused).toMatchObject({ consumer: 'budget-ledger', deliveries: 3 });
    expect(refused.reason).toMatch(/^gave up after 3 deliveries: Postgres 23514: .*refuse_for_e2e/);
    expect(await ledgerRows('req_refused')).toBe(0);

    await database.query('ALTER TABLE spend_ledger DROP CONSTRAINT refuse_for_e2e');
    const replayed = await deadLetters(isolation, 'replay', String(refused.seq));
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(replayed.stdout).toContain(`#${refused.seq} replayed for budget-ledger`);
    expect(await eventually(async () => (await ledgerRows('req_refused')) === 1, 10_000)).toBe(true);
    expect((await letters()).filter((letter) => letter.messageId === 'req_refused')).toHaveLength(0);
    // Replayed for the ledger only: the webhook, which took the original, does not get it a second time.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(webhook.requests.flatMap((request) => (request.json as Array<{ id: string }>).map((payload) => payload.id)).filter((id) => id === 'req_refused')).toHaveLength(1);
  });
});
