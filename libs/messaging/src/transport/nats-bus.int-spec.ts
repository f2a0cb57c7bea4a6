import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Controller, Module, UseFilters } from '@nestjs/common';
import type { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { z } from 'zod';
import { busPatterns, providerSubjects, replyHeaders, subjectNamespace, subjectOf } from '@switchboard/contracts';
import type { StreamPart } from '@switchboard/spec';
import { SwitchboardError } from '@switchboard/spec';
import { connectNats } from '../nats-connection';
import type { NatsConnection } from '../nats-connection';
import { requestHeaders } from '../request-headers';
import type { BusContext } from './bus-context';
import { BusExceptionFilter } from './bus-exception.filter';
import { BusPayloadPipe } from './bus-payload.pipe';
import { NatsBusClient } from './nats-bus.client';
import { NatsBusTransport } from './nats-bus.transport';

const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const cancelled: string[] = [];

@Controller()
@UseFilters(BusExceptionFilter)
class TestController {
  @MessagePattern(busPatterns.providerChat, { routedBy: 'providers', queue: (provider: string) => `worker-${provider}` })
  stream(@Payload(new BusPayloadPipe(z.object({ count: z.number().int() }))) command: { count: number }, @Ctx() context: BusContext): void {
    for (let index = 0; index < command.count; index += 1) context.reply.part({ type: 'text-delta', index: 0, delta: String(index) });
    context.reply.end();
  }

  @MessagePattern(busPatterns.authVerifyKey, { queue: 'auth' })
  answer(@Payload() request: { key_hash: string }): { echoed: string } {
    return { echoed: request.key_hash };
  }

  @MessagePattern(busPatterns.authManage, { queue: 'auth' })
  fail(@Payload() request: { kind: string }): never {
    if (request.kind === 'known') throw new SwitchboardError('permission_denied', 'Only proxy admin can do that', { param: 'user_id' });
    throw new Error('secret detail of a bug');
  }

  @EventPattern(busPatterns.providerCancel)
  cancel(@Payload() event: { requestId: string }): void {
    cancelled.push(event.requestId);
  }
}

@Module({ controllers: [TestController] })
class TestModule {}

describe('NatsBusTransport and NatsBusClient over a real NATS server', () => {
  let connection: NatsConnection;
  let app: INestMicroservice;
  let client: NatsBusClient;
  const namespace = subjectNamespace(`m${randomBytes(4).toString('hex')}`);

  beforeAll(async () => {
    connection = await connectNats({ url: natsUrl, name: 'messaging-test' });
    app = await NestFactory.createMicroservice(TestModule, { strategy: new NatsBusTransport({ connection, namespace, routingKeys: { providers: ['mock'] } }), logger: false });
    await app.listen();
    client = new NatsBusClient({ connection, namespace, defaultTimeoutMs: 2_000 });
  });

  afterAll(async () => {
    client?.close();
    await app?.close();
    await connection?.close();
  });

  it('delivers coalesced stream parts in order, then the end frame', async () => {
    const channel = client.open(providerSubjects.chat(namespace, 'mock'), new TextEncoder().encode('{"count":50}'), requestHeaders({ requestId: 'r1' }));
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
    expect(received.map((part) => (part.type === 'text-delta' ? part.delta : '')).join(',')).toBe(Array.from({ length: 50 }, (_, index) => String(index)).join(','));
    // Parts produced in one turn travel as one message.
    expect(frames).toBe(1);
    expect(client.inFlight).toBe(0);
  });

  it('answers a request with the handler’s return value', async () => {
    await expect(client.request(busPatterns.authVerifyKey, { key_hash: 'abc' })).resolves.toEqual({ echoed: 'abc' });
  });

  it('turns an unserved subject into a no_worker error within one round trip', async () => {
    const started = Date.now();
    const frame = await client.open(providerSubjects.chat(namespace, 'nobody'), new Uint8Array(0), requestHeaders({ requestId: 'r2' })).next();
    expect(frame).toMatchObject({ kind: 'error', error: { code: 'no_worker', status: 503, retryAfterSeconds: 1 } });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('answers every failure in the one error format: typed errors as they are, unknown ones without their text', async () => {
    await expect(client.request(busPatterns.authManage, { kind: 'known' })).rejects.toMatchObject({ code: 'permission_denied', status: 403, param: 'user_id', message: 'Only proxy admin can do that' });
    const failure = await client.request(busPatterns.authManage, { kind: 'bug' }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'internal', status: 500 });
    expect((failure as Error).message).not.toContain('secret');
  });

  it('refuses a payload that is not JSON or not valid with invalid_request, and keeps serving', async () => {
    const subject = subjectOf(namespace, busPatterns.providerChat, 'mock');
    for (const payload of ['not json', '{"count":"many"}']) {
      const message = await connection.request(subject, new TextEncoder().encode(payload), { timeout: 2_000 });
      expect(message.headers?.get(replyHeaders.status)).toBe('400');
      expect(message.headers?.get(replyHeaders.errorCode)).toBe('invalid_request');
      expect(message.json<{ error: { type: string; code: string } }>().error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_request' });
    }
    await expect(client.request(busPatterns.authVerifyKey, { key_hash: 'still' })).resolves.toEqual({ echoed: 'still' });
  });

  it('delivers events to every instance without a reply', async () => {
    client.emit(busPatterns.providerCancel, { requestId: 'req-9' }).subscribe();
    await expect.poll(() => cancelled).toContain('req-9');
  });

  it('bounds a request nobody answers in time', async () => {
    const silent = connection.subscribe(subjectOf(namespace, busPatterns.authListModels), { callback: () => undefined });
    const started = Date.now();
    await expect(client.request(busPatterns.authListModels, {}, { timeoutMs: 300, service: 'The auth service' })).rejects.toMatchObject({ code: 'upstream_unavailable' });
    expect(Date.now() - started).toBeLessThan(1_000);
    silent.unsubscribe();
  });
});
