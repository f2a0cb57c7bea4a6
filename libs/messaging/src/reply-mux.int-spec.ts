import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstreamManager } from '@nats-io/jetstream';
import { providerSubjects, subjectNamespace } from '@switchboard/contracts';
import type { StreamPart } from '@switchboard/spec';
import { CommandServer } from './command-server';
import { deleteEventStream, ensureEventStream } from './jetstream';
import { EventPublisher } from './event-publisher';
import { connectNats } from './nats-connection';
import type { NatsConnection } from './nats-connection';
import { ReplyMux } from './reply-mux';
import { requestHeaders } from './request-headers';

const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

describe('ReplyMux and CommandServer over a real NATS server', () => {
  let connection: NatsConnection;
  const namespace = subjectNamespace(`m${randomBytes(4).toString('hex')}`);

  beforeAll(async () => {
    connection = await connectNats({ url: natsUrl, name: 'messaging-test' });
  });

  afterAll(async () => {
    await connection.close();
  });

  it('delivers coalesced stream parts in order, then the end frame', async () => {
    const subject = providerSubjects.chat(namespace, 'mock');
    const server = new CommandServer(connection, {
      subject,
      queue: 'worker-mock',
      handle: async ({ reply }) => {
        for (let index = 0; index < 50; index += 1) reply.part({ type: 'text-delta', index: 0, delta: String(index) });
        reply.end();
      },
    });
    const mux = new ReplyMux(connection);
    const channel = mux.open(subject, new TextEncoder().encode('{}'), requestHeaders({ requestId: 'r1' }));
    const received: StreamPart[] = [];
    let frames = 0;
    for (;;) {
      const frame = await channel.next();
      if (frame.kind !== 'parts') {
        expect(frame.kind).toBe('end');
        break;
      }
      frames += 1;
      received.push(...frame.parts);
    }
    expect(received.map((part) => (part.type === 'text-delta' ? part.delta : '')).join(',')).toBe(
      Array.from({ length: 50 }, (_, index) => String(index)).join(','),
    );
    // Parts produced in one turn travel as one message.
    expect(frames).toBe(1);
    expect(mux.inFlight).toBe(0);
    server.stop();
    mux.close();
  });

  it('turns an unserved subject into a no_worker error within one round trip', async () => {
    const mux = new ReplyMux(connection);
    const started = Date.now();
    const channel = mux.open(providerSubjects.chat(namespace, 'nobody'), new Uint8Array(0), requestHeaders({ requestId: 'r2' }));
    const frame = await channel.next();
    expect(frame.kind).toBe('error');
    if (frame.kind === 'error') expect(frame.error).toMatchObject({ code: 'no_worker', status: 503, retryAfterSeconds: 1 });
    expect(Date.now() - started).toBeLessThan(1_000);
    mux.close();
  });

  it('sends a handler failure back as a typed error frame', async () => {
    const subject = providerSubjects.embed(namespace, 'mock');
    const server = new CommandServer(connection, {
      subject,
      handle: async () => {
        throw new Error('secret detail');
      },
    });
    const mux = new ReplyMux(connection);
    const frame = await mux.open(subject, new Uint8Array(0), requestHeaders({ requestId: 'r3' })).next();
    expect(frame.kind).toBe('error');
    if (frame.kind === 'error') {
      expect(frame.error.code).toBe('internal');
      expect(frame.error.message).not.toContain('secret');
    }
    server.stop();
    mux.close();
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
