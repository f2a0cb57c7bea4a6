import Anthropic from '@anthropic-ai/sdk';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwitchboardNatsClient } from '@switchboard/sdk';
import { createIsolation, startFakeServer, startSystem } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';

/**
 * A per-request timeout (`timeout` in the body, or `x-litellm-timeout`) is honoured the same way on
 * every API and edge, because they all run the one request lifecycle (docs/ARCHITECTURE.md D22):
 * the upstream call is ended within the setting + 1 s and the client gets a timeout error.
 */

const config = (upstream: string) => `model_list:
  - model_name: stuck
    litellm_params:
      model: openai/stuck
      api_base: ${upstream}/v1
      api_key: sk-upstream
      timeout: 120
  - model_name: stuck-embeddings
    litellm_params:
      model: openai/stuck-embeddings
      api_base: ${upstream}/v1
      api_key: sk-upstream
      timeout: 120
    model_info:
      mode: embedding
router_settings:
  # Every case times out on purpose: keep the deployments out of cooldown.
  allowed_fails: 1000
`;

type Call = (setting: { body?: number; header?: number }) => Promise<unknown>;

describe('per-request timeouts on every API and edge', () => {
  let isolation: Isolation;
  let upstream: FakeServer;
  let system: RunningSystem;
  let connection: NatsConnection;
  let openai: OpenAI;
  let anthropic: Anthropic;
  let nats: SwitchboardNatsClient;

  beforeAll(async () => {
    isolation = await createIsolation();
    // An upstream that takes every request and never answers.
    upstream = await startFakeServer(() => undefined);
    system = await startSystem({ isolation, config: config(upstream.url), workers: [{ providers: 'openai' }] });
    connection = await connect({ servers: isolation.urls.natsUrl });
    openai = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: system.masterKey, maxRetries: 0, timeout: 30_000 });
    anthropic = new Anthropic({ baseURL: system.baseUrl, apiKey: system.masterKey, maxRetries: 0, timeout: 30_000 });
    nats = new SwitchboardNatsClient(connection, { apiKey: system.masterKey, prefix: isolation.subjectPrefix, timeoutMs: 30_000 });
  }, 120_000);

  afterAll(async () => {
    await connection?.close();
    await system?.stop();
    await upstream?.close();
    await isolation?.cleanup();
  });

  const headers = (setting: { header?: number }): Record<string, string> => (setting.header === undefined ? {} : { 'x-litellm-timeout': String(setting.header) });
  const body = (setting: { body?: number }) => (setting.body === undefined ? {} : { timeout: setting.body });
  const drain = async (stream: AsyncIterable<unknown>) => {
    for await (const _event of stream) {
      // an answer would be a test failure below: the upstream never answers
    }
  };

  const calls: Array<[string, Call]> = [
    ['HTTP chat', (setting) => openai.chat.completions.create({ model: 'stuck', messages: [{ role: 'user', content: 'x' }], ...body(setting) } as OpenAI.ChatCompletionCreateParamsNonStreaming, { headers: headers(setting) })],
    ['HTTP chat, streamed', async (setting) => drain(await openai.chat.completions.create({ model: 'stuck', stream: true, messages: [{ role: 'user', content: 'x' }], ...body(setting) } as OpenAI.ChatCompletionCreateParamsStreaming, { headers: headers(setting) }))],
    ['HTTP Messages', (setting) => anthropic.messages.create({ model: 'stuck', max_tokens: 10, messages: [{ role: 'user', content: 'x' }], ...body(setting) } as Anthropic.MessageCreateParamsNonStreaming, { headers: headers(setting) })],
    ['HTTP Responses', (setting) => openai.responses.create({ model: 'stuck', input: 'x', ...body(setting) } as OpenAI.Responses.ResponseCreateParamsNonStreaming, { headers: headers(setting) })],
    ['HTTP embeddings', (setting) => openai.embeddings.create({ model: 'stuck-embeddings', input: 'x', ...body(setting) } as OpenAI.EmbeddingCreateParams, { headers: headers(setting) })],
    ['NATS chat', (setting) => nats.chat.completions.create({ model: 'stuck', messages: [{ role: 'user', content: 'x' }], ...body(setting), stream: false }, { headers: headers(setting) })],
    ['NATS chat, streamed', async (setting) => drain((await nats.chat.completions.create({ model: 'stuck', stream: true, messages: [{ role: 'user', content: 'x' }], ...body(setting) }, { headers: headers(setting) })) as AsyncIterable<unknown>)],
    ['NATS Responses', (setting) => nats.responses.create({ model: 'stuck', input: 'x', ...body(setting) }, { headers: headers(setting) })],
  ];

  for (const [name, call] of calls) {
    for (const [how, setting] of [
      ['timeout in the body', { body: 1 }],
      ['x-litellm-timeout', { header: 1 }],
    ] as const) {
      it(`${name}: ${how} ends the upstream call within the setting + 1 s`, async () => {
        const closesBefore = upstream.socketCloses.length;
        const started = Date.now();
        const failure = (await call(setting).then(
          () => undefined,
          (error: unknown) => error,
        )) as { status?: number } | undefined;
        const elapsed = Date.now() - started;
        expect(failure, 'the call must fail: the upstream never answers').toBeDefined();
        expect(failure?.status).toBe(504);
        expect(elapsed).toBeGreaterThanOrEqual(900);
        expect(elapsed).toBeLessThan(2_000);
        // The upstream socket of this call was closed (the call was aborted, not left running).
        await expect.poll(() => upstream.socketCloses.length, { timeout: 2_000 }).toBeGreaterThan(closesBefore);
      }, 30_000);
    }
  }
});
