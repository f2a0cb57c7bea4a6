import { randomBytes } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { Consumer, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { connect, headers as natsHeaders } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetterHeader, ensureDeadLetterStream, parkMessage, watchMaxDeliveries } from './dead-letter';
import { deleteEventStream, ensureDurableConsumer, ensureEventStream } from './jetstream';

/** Pulls for a while, handing each message to `handle`. */
async function pull(consumer: Consumer, forMs: number, handle: (message: JsMsg) => Promise<void> | void): Promise<number> {
  let seen = 0;
  const deadline = Date.now() + forMs;
  while (Date.now() < deadline) {
    const batch = await consumer.fetch({ max_messages: 10, expires: 1_000 });
    for await (const message of batch) {
      seen += 1;
      await handle(message);
    }
  }
  return seen;
}

describe('dead-lettering on the nats-server this machine runs', () => {
  const id = randomBytes(4).toString('hex').toUpperCase();
  const stream = `T${id}_EVENTS`;
  const deadStream = `T${id}_DLQ`;
  const deadSubject = `t${id}.dead`;
  let connection: NatsConnection;
  let manager: JetStreamManager;

  beforeAll(async () => {
    connection = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
    manager = await jetstreamManager(connection);
    await ensureEventStream(connection, { name: stream, subjects: [`t${id}.events.>`], duplicateWindowMs: 60_000, maxAgeMs: 3_600_000 });
    await ensureDeadLetterStream(connection, deadStream, deadSubject);
  });

  afterAll(async () => {
    await deleteEventStream(connection, stream);
    await deleteEventStream(connection, deadStream);
    await connection.close();
  });

  const consumerFor = async (durable: string, subject: string) => {
    await ensureDurableConsumer(connection, stream, { durable, filterSubject: subject, policy: { backoffMs: [400], maxDeliver: 2 } });
    return jetstream(connection).consumers.get(stream, durable);
  };
  const letters = async () => {
    const info = await manager.streams.info(deadStream);
    const found = [];
    for (let seq = info.state.first_seq; info.state.messages > 0 && seq <= info.state.last_seq; seq += 1) {
      const stored = await manager.streams.getMessage(deadStream, { seq }).catch(() => null);
      if (stored) found.push({ subject: stored.header.get(deadLetterHeader.subject), consumer: stored.header.get(deadLetterHeader.consumer), reason: stored.header.get(deadLetterHeader.reason), id: stored.header.get(deadLetterHeader.messageId), data: stored.string(), traceparent: stored.header.get('traceparent') });
    }
    return found;
  };

  it('parkMessage keeps the message and stops its redelivery for good (a plain term before 2.10)', async () => {
    const consumer = await consumerFor('parker', `t${id}.events.park`);
    await jetstream(connection).publish(`t${id}.events.park`, 'poison', { msgID: 'poison-1' });
    const seen = await pull(consumer, 2_500, async (message) => {
      expect(await parkMessage(connection, deadSubject, 'parker', message, 'invalid: not an event')).toBe(true);
    });
    // Delivered once: the ack wait (0.4 s) passed several times without a redelivery.
    expect(seen).toBe(1);
    expect((await letters()).filter((letter) => letter.consumer === 'parker')).toEqual([
      { subject: `t${id}.events.park`, consumer: 'parker', reason: 'invalid: not an event', id: 'poison-1', data: 'poison', traceparent: '' },
    ]);
  });

  it('parks, from the MAX_DELIVERIES advisory, a message whose deliveries all ended without an answer', async () => {
    const consumer = await consumerFor('silent', `t${id}.events.silent`);
    const parked: number[] = [];
    const watch = watchMaxDeliveries(connection, {
      stream,
      durables: ['silent'],
      deadLetterSubject: deadSubject,
      lastFailure: () => 'upstream timed out',
      onParked: (_durable, streamSeq) => parked.push(streamSeq),
    });
    try {
      const headers = natsHeaders();
      headers.set('traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
      await jetstream(connection).publish(`t${id}.events.silent`, 'stuck', { msgID: 'stuck-1', headers });
      // Never acknowledged: delivered twice (max_deliver), then the server gives up and says so.
      const seen = await pull(consumer, 2_500, () => undefined);
      expect(seen).toBe(2);
      const deadline = Date.now() + 3_000;
      while (parked.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(parked).toHaveLength(1);
      expect((await letters()).filter((letter) => letter.consumer === 'silent')).toEqual([
        {
          subject: `t${id}.events.silent`,
          consumer: 'silent',
          reason: 'max_deliver reached after 2 deliveries; last failure: upstream timed out',
          id: 'stuck-1',
          data: 'stuck',
          traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        },
      ]);
    } finally {
      watch.stop();
    }
  });
});
