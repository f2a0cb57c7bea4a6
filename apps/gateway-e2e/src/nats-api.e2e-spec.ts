import { connect, headers as natsHeaders } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwitchboardNatsClient, SwitchboardNatsError } from '@switchboard/sdk';
import { createIsolation, fakeAnswer, readUsageEvents, startFakeOpenAiUpstream, startSystem } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';
import { fakeUpstreamConfig, upstreamKey, manage } from './e2e-config';

type Json = Record<string, unknown>;
type ErrorAnswer = { status: number; type?: string; code?: string | null };

// A priced model group: a request reserves at most ~$0.000015 (5 prompt tokens estimated, max 5 output tokens)
// and really costs $0.0000235 (the fake upstream reports 11 prompt tokens, 3 cached, 7 completion).
const pricedModel = (upstream: string) => `  - model_name: fake-priced
    litellm_params:
      model: openai/ok
      api_base: ${upstream}/v1
      api_key: os.environ/FAKE_UPSTREAM_KEY
      input_cost_per_token: "0.000001"
      output_cost_per_token: "0.000002"
      cache_read_input_token_cost: "0.0000005"
`;

/** Ids and timestamps differ between two calls; everything else must not. */
function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, ['id', 'item_id', 'created_at'].includes(key) && field !== null ? '<varies>' : withoutIds(field)]));
  }
  return value;
}

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
      config: fakeUpstreamConfig(upstream.url, pricedModel(upstream.url)),
      workers: [{ providers: 'openai,mock', environment: { FAKE_UPSTREAM_KEY: upstreamKey } }],
      // Budgets are seeded from the ledger the budget service keeps.
      budget: true,
    });
    connection = await connect({ servers: isolation.urls.natsUrl });
    client = new SwitchboardNatsClient(connection, { apiKey: system.masterKey, prefix: isolation.subjectPrefix });
  });

  const admin = (path: string, body: Json) => manage(system, path, body);
  const newKey = async (body: Json = {}) => String((await admin('/key/generate', body)).key);
  const openai = (apiKey: string) => new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey, maxRetries: 0 });
  const natsClient = (apiKey: string) => new SwitchboardNatsClient(connection, { apiKey, prefix: isolation.subjectPrefix });
  /** The status, error type and code HTTP answers (a 200 stream has no error). */
  const errorOverHttp = async (path: string, body: Json, key: string | undefined): Promise<ErrorAnswer> => {
    const response = await fetch(`${system.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key === undefined ? {} : { authorization: `Bearer ${key}` }) },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    const error = response.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as { error?: { type?: string; code?: string | null } }).error : undefined;
    return { status: response.status, type: error?.type, code: error?.code };
  };
  /** The same over NATS, from the first reply message (an error before output is a stream's only message). */
  const errorOverNats = async (subject: string, body: Json, key: string | undefined): Promise<ErrorAnswer> => {
    const headers = natsHeaders();
    if (key !== undefined) headers.set('authorization', `Bearer ${key}`);
    const reply = await connection.request(`${isolation.subjectPrefix}.api.cmd.${subject}.v1`, JSON.stringify(body), { timeout: 10_000, headers });
    const error = (reply.json() as { error?: { type?: string; code?: string | null } }).error;
    return { status: Number(reply.headers?.get('sb-status')), type: error?.type, code: error?.code };
  };
  const within = async (limitMs: number, check: () => Promise<boolean>) => {
    const deadline = Date.now() + limitMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`not within ${limitMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

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

  it('answers Responses, streamed and not, exactly as the HTTP edge does', async () => {
    const request = { model: 'fake-ok', instructions: 'Be brief.', input: 'Hi', max_output_tokens: 50 };
    const overNats = await client.responses.create(request);
    const overHttp = await openai(system.masterKey).responses.create(request);
    expect(overNats.output_text).toBe(fakeAnswer.join(''));
    expect(String(overNats.id)).toMatch(/^resp_/);
    expect(withoutIds(overNats)).toEqual(withoutIds(JSON.parse(JSON.stringify(overHttp))));

    const natsEvents: Json[] = [];
    for await (const event of await client.responses.create({ ...request, stream: true })) natsEvents.push(event);
    const httpEvents: unknown[] = [];
    for await (const event of await openai(system.masterKey).responses.create({ ...request, stream: true })) httpEvents.push(event);
    expect(natsEvents.map((event) => event.sequence_number)).toEqual(natsEvents.map((_, index) => index));
    expect(natsEvents.at(-1)?.type).toBe('response.completed');
    const deltas = natsEvents.filter((event) => event.type === 'response.output_text.delta').map((event) => event.delta);
    expect(deltas.join('')).toBe(fakeAnswer.join(''));
    // One id in every event of the stream, as on HTTP.
    expect(new Set(natsEvents.flatMap((event) => (event.response ? [(event.response as Json).id] : [])))).toHaveProperty('size', 1);
    expect(withoutIds(natsEvents)).toEqual(withoutIds(JSON.parse(JSON.stringify(httpEvents))));
  });

  it('a Responses stream that fails after output ends with response.failed, then the stream error, as HTTP ends with response.failed', async () => {
    const request = { model: 'fake-error-after-output', input: 'Hi', stream: true as const };
    const natsEvents: Json[] = [];
    const error = await (async () => {
      for await (const event of await client.responses.create(request)) natsEvents.push(event);
    })().catch((caught: unknown) => caught);
    const httpEvents: unknown[] = [];
    for await (const event of await openai(system.masterKey).responses.create(request)) httpEvents.push(event);
    expect(natsEvents.at(-1)?.type).toBe('response.failed');
    expect(error).toBeInstanceOf(SwitchboardNatsError);
    expect(withoutIds(natsEvents)).toEqual(withoutIds(JSON.parse(JSON.stringify(httpEvents))));
  });

  it('a response created over NATS continues over HTTP with the same key, and over neither edge with another key', async () => {
    const [key, otherKey] = await Promise.all([newKey(), newKey()]);
    let firstId = '';
    for await (const event of await natsClient(key).responses.create({ model: 'fake-ok', input: 'Turn one', stream: true })) {
      if (event.type === 'response.completed') firstId = String((event.response as Json).id);
    }
    expect(firstId).toMatch(/^resp_/);
    // Stored before the final event: continued at once, over the other edge.
    const second = await openai(key).responses.create({ model: 'fake-ok', input: 'Turn two', previous_response_id: firstId });
    expect(second.previous_response_id).toBe(firstId);
    expect((upstream.requests.at(-1)?.json as { messages: unknown[] }).messages).toEqual([
      { role: 'user', content: 'Turn one' },
      { role: 'assistant', content: fakeAnswer.join('') },
      { role: 'user', content: 'Turn two' },
    ]);
    // And back: the HTTP turn continued over NATS.
    const third = await natsClient(key).responses.create({ model: 'fake-ok', input: 'Turn three', previous_response_id: second.id });
    expect(third.previous_response_id).toBe(second.id);
    expect((upstream.requests.at(-1)?.json as { messages: unknown[] }).messages).toHaveLength(5);
    expect((await openai(key).responses.retrieve(firstId)).id).toBe(firstId);

    const requestsBefore = upstream.requests.length;
    await expect(openai(otherKey).responses.create({ model: 'fake-ok', input: 'theirs', previous_response_id: firstId })).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const overNats = await natsClient(otherKey).responses.create({ model: 'fake-ok', input: 'theirs', previous_response_id: firstId }).catch((caught: unknown) => caught);
    expect(overNats).toBeInstanceOf(SwitchboardNatsError);
    expect(overNats).toMatchObject({ status: 404, code: 'not_found', type: 'invalid_request_error' });
    await expect(openai(otherKey).responses.retrieve(firstId)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    expect(upstream.requests.length).toBe(requestsBefore);
  });

  it('a missing, wrong, blocked, management-only or over-budget key gets the same status, error type and code over NATS as over HTTP', async () => {
    const [blocked, managementOnly, overBudget] = await Promise.all([newKey(), newKey({ key_type: 'management' }), newKey({ max_budget: 0 })]);
    // Verified once (cached by the gateway), then blocked: revocation reaches the NATS edge too.
    expect((await errorOverNats('chat_completions', { model: 'fake-ok', messages: [{ role: 'user', content: 'x' }] }, blocked)).status).toBe(200);
    await admin('/key/block', { key: blocked });
    await within(5_000, async () => (await errorOverHttp('/v1/chat/completions', { model: 'fake-ok', messages: [{ role: 'user', content: 'x' }] }, blocked)).status === 401);

    const invalidKey = { status: 401, type: 'authentication_error', code: 'invalid_api_key' };
    const keys = [
      { name: 'missing', key: undefined, expected: invalidKey },
      { name: 'wrong', key: 'sk-wrong', expected: invalidKey },
      { name: 'blocked', key: blocked, expected: invalidKey },
      { name: 'management-only', key: managementOnly, expected: invalidKey },
      { name: 'over budget', key: overBudget, expected: { status: 400, type: 'budget_exceeded', code: 'budget_exceeded' } },
    ];
    const apis = [
      { name: 'chat', path: '/v1/chat/completions', subject: 'chat_completions', body: { model: 'fake-priced', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] } },
      { name: 'chat stream', path: '/v1/chat/completions', subject: 'chat_completions', body: { model: 'fake-priced', max_tokens: 5, stream: true, messages: [{ role: 'user', content: 'x' }] } },
      { name: 'responses', path: '/v1/responses', subject: 'responses', body: { model: 'fake-priced', max_output_tokens: 5, input: 'x' } },
      { name: 'responses stream', path: '/v1/responses', subject: 'responses', body: { model: 'fake-priced', max_output_tokens: 5, input: 'x', stream: true } },
      { name: 'embeddings', path: '/v1/embeddings', subject: 'embeddings', body: { model: 'fake-embedding', input: 'x' } },
    ];
    const requestsBefore = upstream.requests.length;
    const overHttp = [];
    const overNats = [];
    for (const { name, key, expected } of keys) {
      for (const api of apis) {
        const [http, nats] = await Promise.all([errorOverHttp(api.path, api.body, key), errorOverNats(api.subject, api.body, key)]);
        expect(http, `${name} key, ${api.name} over HTTP`).toEqual(expected);
        overHttp.push({ key: name, api: api.name, ...http });
        overNats.push({ key: name, api: api.name, ...nats });
      }
    }
    expect(overNats).toEqual(overHttp);
    expect(upstream.requests.length).toBe(requestsBefore);
    const thrown = await natsClient(overBudget).responses.create({ model: 'fake-priced', input: 'x', stream: true }).catch((caught: unknown) => caught);
    expect(thrown).toBeInstanceOf(SwitchboardNatsError);
    expect(thrown).toMatchObject({ status: 400, code: 'budget_exceeded', type: 'budget_exceeded' });
  });

  it('Responses over NATS are charged to the key: once its budget is spent, embeddings are refused over NATS as over HTTP', async () => {
    const key = await newKey({ max_budget: 0.00002 });
    const nats = natsClient(key);
    expect(await nats.embeddings.create({ model: 'fake-embedding', input: ['a'] })).toMatchObject({ object: 'list' });
    const answer = await nats.responses.create({ model: 'fake-priced', input: 'x', max_output_tokens: 5 });
    expect(answer.output_text).toBe(fakeAnswer.join(''));
    // The answer really cost $0.0000235 of the $0.00002 budget: settled, the budget refuses everything.
    await within(5_000, async () => (await nats.embeddings.create({ model: 'fake-embedding', input: ['b'] }).then(() => 200, (error: { status?: number }) => error.status ?? 0)) === 400);
    const requestsBefore = upstream.requests.length;
    const refused = await nats.embeddings.create({ model: 'fake-embedding', input: ['c'] }).catch((caught: unknown) => caught);
    expect(refused).toMatchObject({ status: 400, code: 'budget_exceeded', type: 'budget_exceeded' });
    expect(await errorOverHttp('/v1/embeddings', { model: 'fake-embedding', input: 'c' }, key)).toEqual({ status: 400, type: 'budget_exceeded', code: 'budget_exceeded' });
    expect(upstream.requests.length).toBe(requestsBefore);
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
    expect(unknownModel).toMatchObject({ status: 400, code: 'model_not_found' });
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

  it('a caller that stops reading a Responses stream cancels the upstream call within 1 s, with one usage event', async () => {
    const closesBefore = upstream.socketCloses.length;
    let stoppedAt = 0;
    let responseId = '';
    for await (const event of await client.responses.create({ model: 'fake-slow-stream', input: 'x', stream: true })) {
      if (event.type === 'response.created') responseId = String((event.response as Json).id);
      if (event.type === 'response.output_text.delta') {
        stoppedAt = Date.now();
        break;
      }
    }
    expect(stoppedAt).toBeGreaterThan(0);
    while (upstream.socketCloses.length === closesBefore && Date.now() < stoppedAt + 1_200) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(upstream.socketCloses.length).toBeGreaterThan(closesBefore);
    expect(upstream.socketCloses.at(-1)! - stoppedAt).toBeLessThanOrEqual(1_000);
    // The response id carries the request id (docs/ARCHITECTURE.md D14): its usage event says it was cancelled.
    const requestId = Buffer.from(responseId.slice('resp_'.length), 'base64url').toString().split('\u0000')[1];
    const events = async () => (await readUsageEvents(isolation)).filter((stored) => stored.event.requestId === requestId);
    await within(5_000, async () => (await events()).length > 0);
    expect((await events()).map((stored) => stored.event.status)).toEqual(['cancelled']);
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

  it('names the customer with the x-litellm-customer-id header, as HTTP does', async () => {
    await admin('/customer/new', { user_id: 'nats-blocked-customer', blocked: true });
    const refused = await client.chat.completions
      .create({ model: 'mock-gpt', messages: [{ role: 'user', content: 'x' }] }, { headers: { 'x-litellm-customer-id': 'nats-blocked-customer' } })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SwitchboardNatsError);
    expect((refused as SwitchboardNatsError).status).toBe(403);
    const answered = await client.chat.completions.create({ model: 'mock-gpt', messages: [{ role: 'user', content: 'x' }] }, { headers: { 'x-litellm-customer-id': 'someone-else' } });
    expect(answered).toMatchObject({ object: 'chat.completion' });
  });
});

