import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busPatterns, replyHeaders, subjectOf } from '@switchboard/contracts';
import type { BusPattern } from '@switchboard/contracts';
import { createIsolation, startFakeOpenAiUpstream, startSystem } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';

/**
 * One error format on the bus (docs/ARCHITECTURE.md D1): every service answers a malformed message on
 * each of its command subjects with the same reply (400 `invalid_request`, OpenAI error JSON, status
 * and code in headers), and keeps serving.
 */
const commands: Array<{ service: string; pattern: BusPattern; routingKey?: string }> = [
  { service: 'worker', pattern: busPatterns.providerChat, routingKey: 'openai' },
  { service: 'worker', pattern: busPatterns.providerEmbed, routingKey: 'openai' },
  { service: 'auth', pattern: busPatterns.authVerifyKey },
  { service: 'auth', pattern: busPatterns.authManage },
  { service: 'auth', pattern: busPatterns.authCustomerStatus },
  { service: 'budget', pattern: busPatterns.budgetPeriodSpend },
  { service: 'budget', pattern: busPatterns.budgetSpendLogs },
  { service: 'budget', pattern: busPatterns.budgetSpendTotals },
  { service: 'budget', pattern: busPatterns.budgetCalculateSpend },
  { service: 'gateway (public API)', pattern: busPatterns.apiChatCompletions },
  { service: 'gateway (public API)', pattern: busPatterns.apiEmbeddings },
  { service: 'gateway (public API)', pattern: busPatterns.apiResponses },
];

describe('a malformed message on any command subject of any service', () => {
  let isolation: Isolation;
  let upstream: FakeServer;
  let system: RunningSystem;
  let connection: NatsConnection;

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startFakeOpenAiUpstream();
    system = await startSystem({
      isolation,
      config: `model_list:\n  - model_name: fake-ok\n    litellm_params:\n      model: openai/ok\n      api_base: ${upstream.url}/v1\n      api_key: sk-upstream\n`,
      workers: [{ providers: 'openai' }],
      budget: true,
    });
    connection = await connect({ servers: isolation.urls.natsUrl });
  }, 120_000);

  afterAll(async () => {
    await connection?.close();
    await system?.stop();
    await upstream?.close();
    await isolation?.cleanup();
  });

  for (const { service, pattern, routingKey } of commands) {
    it(`${service}: ${pattern} answers 400 invalid_request in the one error format`, async () => {
      const subject = subjectOf(isolation.namespace, pattern, routingKey);
      const reply = await connection.request(subject, new TextEncoder().encode('this is not JSON {'), { timeout: 5_000 });
      expect(reply.headers?.get(replyHeaders.status)).toBe('400');
      expect(reply.headers?.get(replyHeaders.errorCode)).toBe('invalid_request');
      expect(reply.headers?.get(replyHeaders.requestId)).toBeDefined();
      expect(reply.json()).toEqual({ error: { message: expect.any(String), type: 'invalid_request_error', param: 'body', code: 'invalid_request' } });
    });
  }

  it('internal subjects refuse a JSON payload that breaks their contract the same way, naming the field', async () => {
    for (const pattern of [busPatterns.authVerifyKey, busPatterns.budgetPeriodSpend]) {
      const reply = await connection.request(subjectOf(isolation.namespace, pattern), new TextEncoder().encode('{"unexpected":true}'), { timeout: 5_000 });
      expect(reply.headers?.get(replyHeaders.status), pattern).toBe('400');
      expect((reply.json() as { error: { type: string; param: string } }).error).toMatchObject({ type: 'invalid_request_error', param: expect.any(String) });
    }
  });

  it('every service keeps serving afterwards', async () => {
    const client = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: system.masterKey, maxRetries: 0 });
    const answer = await client.chat.completions.create({ model: 'fake-ok', messages: [{ role: 'user', content: 'still there?' }] });
    expect(answer.choices[0].message.content).toBe('Hello from the fake upstream.');
    const key = await (await fetch(`${system.baseUrl}/key/generate`, { method: 'POST', headers: { authorization: `Bearer ${system.masterKey}`, 'content-type': 'application/json' }, body: '{}' })).json();
    expect(key).toMatchObject({ key: expect.stringMatching(/^sk-/) });
    await expect.poll(async () => (await fetch(`${system.baseUrl}/spend/logs`, { headers: { authorization: `Bearer ${system.masterKey}` } })).status).toBe(200);
  });
});
