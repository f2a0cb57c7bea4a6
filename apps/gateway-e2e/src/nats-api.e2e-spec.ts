import { connect, headers as natsHeaders } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwitchboardNatsClient, SwitchboardNatsError } from '@switchboard/sdk';
import { createIsolation, fakeAnswer, readUsageEvents, startFakeOpenAiUpstream, startSystem } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';
import { fakeUpstreamConfig, upstreamKey } from './e2e-config';

describe('the NATS API with the workspace client', () => {
  const authorization = () => {
    const headers = natsHeaders();
    headers.set('authorization', `Bearer ${system.masterKey}`);
    return headers;
  };
  let isolation: Isolation;
  let upstream: FakeServer;
  let system: RunningSystem;
  let connection: NatsConnection;
  let client: SwitchboardNatsClient;

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startFakeOpenAiUpstream();
    system = await startSystem({
      isolation,
      config: fakeUpstreamConfig(upstream.url),
      workers: [{ providers: 'openai,mock', environment: { FAKE_UPSTREAM_KEY: upstreamKey } }],
    });
    connection = await connect({ servers: isolation.urls.natsUrl });
    client = new SwitchboardNatsClient(connection, { apiKey: system.masterKey, prefix: isolation.subjectPrefix });
  });

  afterAll(async () => {
    await connection?.close();
    await system?.stop();
    await upstream?.close();
    await isolation?.cleanup();
  });

  it('answers chat, streamed and not, exactly as the HTTP edge does', async () => {
    const overNats = await client.chat.completions.create({ model: 'fake-ok', messages: [{ role: 'user', content: 'Hi' }] });
    const http = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: system.masterKey, maxRetries: 0 });
    const overHttp = await http.chat.completions.create({ model: 'fake-ok', messages: [{ role: 'user', content: 'Hi' }] });
    expect({ ...overNats, created: 0 }).toEqual({ ...JSON.parse(JSON.stringify(overHttp)), created: 0 });

    const stream = await client.chat.completions.create({ model: 'fake-ok', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Hi' }] });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk as { choices: Array<{ delta?: { content?: string } }>; usage?: { total_tokens: number } | null });
    expect(chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('')).toBe(fakeAnswer.join(''));
    expect(chunks.at(-1)?.usage?.total_tokens).toBe(18);
  });

  it('serves embeddings and the model list', async () => {
    const embeddings = await client.embeddings.create({ model: 'fake-embedding', input: ['a', 'b'], encoding_format: 'float' });
    expect((embeddings.data as Array<{ embedding: number[] }>)[1].embedding).toEqual([1, 0.5, -0.5]);
    const models = await client.models.list();
    expect((models.data as Array<{ id: string }>).map((model) => model.id)).toContain('fake-ok');
  });

  it('a missing or wrong key gets the same error as on HTTP', async () => {
    const wrong = new SwitchboardNatsClient(connection, { apiKey: 'sk-wrong', prefix: isolation.subjectPrefix });
    const error = await wrong.chat.completions.create({ model: 'fake-ok', messages: [{ role: 'user', content: 'x' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SwitchboardNatsError);
    expect(error).toMatchObject({ status: 401, code: 'invalid_api_key', type: 'authentication_error' });
    const unknownModel = await client.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }).catch((caught: unknown) => caught);
    expect(unknownModel).toMatchObject({ status: 404, code: 'model_not_found' });
    const streamed = await client.chat.completions.create({ model: 'fake-status-429', stream: true, messages: [{ role: 'user', content: 'x' }] }).catch((caught: unknown) => caught);
    expect(streamed).toMatchObject({ status: 429 });
  });

  it('a caller that stops reading cancels the upstream call within 1 s, with one usage event', async () => {
    const closesBefore = upstream.socketCloses.length;
    const stream = await client.chat.completions.create({ model: 'fake-slow-stream', stream: true, messages: [{ role: 'user', content: 'x' }] });
    let stoppedAt = 0;
    for await (const chunk of stream) {
      if ((chunk as { choices: Array<{ delta?: { content?: string } }> }).choices[0]?.delta?.content) {
        stoppedAt = Date.now();
        break;
      }
    }
    while (upstream.socketCloses.length === closesBefore && Date.now() < stoppedAt + 1_200) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(upstream.socketCloses.length).toBeGreaterThan(closesBefore);
    expect(upstream.socketCloses.at(-1)! - stoppedAt).toBeLessThanOrEqual(1_000);
    const cancelled = async () =>
      (await readUsageEvents(isolation)).filter((stored) => stored.event.modelGroup === 'fake-slow-stream' && stored.event.status === 'cancelled');
    const deadline = Date.now() + 5_000;
    while ((await cancelled()).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await cancelled()).toHaveLength(1);
  });

  it('a caller that unsubscribes without cancelling is noticed too', async () => {
    const closesBefore = upstream.socketCloses.length;
    const inbox = `_INBOX.manual.${Date.now()}`;
    const subscription = connection.subscribe(inbox, { max: 1 });
    const sent = natsHeaders();
    sent.set('authorization', `Bearer ${system.masterKey}`);
    connection.publish(`${isolation.subjectPrefix}.api.cmd.chat_completions.v1`, JSON.stringify({ model: 'fake-slow-stream', stream: true, messages: [{ role: 'user', content: 'x' }] }), { reply: inbox, headers: sent });
    for await (const _message of subscription) {
      // auto-unsubscribes after the first chunk; the next chunk finds no listener
    }
    const stoppedAt = Date.now();
    while (upstream.socketCloses.length === closesBefore && Date.now() < stoppedAt + 2_000) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(upstream.socketCloses.length).toBeGreaterThan(closesBefore);
  });

  it('two gateway instances share the NATS API queue group', async () => {
    const second = await system.startGateway();
    const served = new Set<string>();
    for (let index = 0; index < 30; index += 1) {
      const reply = await connection.request(
        `${isolation.subjectPrefix}.api.cmd.models.v1`,
        '{}',
        { timeout: 5_000, headers: authorization() },
      );
      served.add(reply.headers?.get('x-request-id').slice(4, 16) ?? '');
    }
    expect(served.size).toBe(2);
    await second.process.stop();
  });
});
