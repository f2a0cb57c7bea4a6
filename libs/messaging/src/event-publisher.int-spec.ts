import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstreamManager } from '@nats-io/jetstream';
import { subjectNamespace } from '@switchboard/contracts';
import { deleteEventStream, ensureEventStream } from './jetstream';
import { EventPublisher } from './event-publisher';
import { connectNats } from './nats-connection';
import type { NatsConnection } from './nats-connection';

const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

describe('EventPublisher over a real JetStream', () => {
  let connection: NatsConnection;
  const namespace = subjectNamespace(`m${randomBytes(4).toString('hex')}`);

  beforeAll(async () => {
    connection = await connectNats({ url: natsUrl, name: 'messaging-test' });
  });

  afterAll(async () => {
    await connection.close();
  });

  it('stores an event once even when it is published twice with the same message id', async () => {
    const name = `${namespace.prefix.toUpperCase()}_USAGE`;
    const subject = `${namespace.prefix}.usage.evt.recorded.v1`;
    await ensureEventStream(connection, { name, subjects: [`${namespace.prefix}.usage.evt.>`], duplicateWindowMs: 60_000, maxAgeMs: 3_600_000 });
    await ensureEventStream(connection, { name, subjects: [`${namespace.prefix}.usage.evt.>`], duplicateWindowMs: 60_000, maxAgeMs: 3_600_000 });
    const publisher = new EventPublisher(connection);
    publisher.publish(subject, 'req-1', { n: 1 });
    publisher.publish(subject, 'req-1', { n: 1 });
    publisher.publish(subject, 'req-2', { n: 2 });
    expect(await publisher.flush(5_000)).toBe(0);
    const manager = await jetstreamManager(connection);
    expect((await manager.streams.info(name)).state.messages).toBe(2);
    await deleteEventStream(connection, name);
  });
});
