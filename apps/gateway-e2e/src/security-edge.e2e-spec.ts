import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { connect, headers as natsHeaders } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwitchboardNatsClient } from '@switchboard/sdk';
import { createIsolation, sendJson, startFakeOpenAiUpstream, startFakeServer, startSystem } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';
import { manage, upstreamKey } from './e2e-config';

/** Credentials with no known key prefix: pattern redaction alone would let them through. */
const literalSecret = `lit${randomBytes(16).toString('hex')}`;
const environmentSecret = `env${randomBytes(16).toString('hex')}`;
const storedSecret = `db${randomBytes(16).toString('hex')}`;
const secrets = [literalSecret, environmentSecret, storedSecret];
/** Every form an upstream echoes a key in below. */
const secretForms = secrets.flatMap((secret) => [secret, encodeURIComponent(`${secret}/`), Buffer.from(secret).toString('base64')]);

/**
 * An upstream that echoes the credential it was sent (plain, URL-encoded and base64) in a 401,
 * in a stream's first event, or in an error after output, as careless providers do.
 */
async function startEchoingUpstream(): Promise<FakeServer> {
  return startFakeServer((request, response) => {
    const key = String(request.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
    const leak = `Incorrect API key provided: ${key}. Encoded ${encodeURIComponent(`${key}/`)} and ${Buffer.from(key).toString('base64')}.`;
    const body = (request.json ?? {}) as { model?: string; stream?: boolean };
    const event = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;
    if (body.stream && body.model === 'stream-error-first') {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(event({ error: { message: leak, type: 'invalid_request_error', code: 'invalid_api_key' } }));
      return;
    }
    if (body.stream && body.model === 'stream-error-after') {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (content: string) => event({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'x', choices: [{ index: 0, delta: { content }, finish_reason: null }] });
      response.end(chunk('Hello') + chunk(' there') + event({ error: { message: leak, type: 'server_error', code: null } }));
      return;
    }
    sendJson(response, 401, { error: { message: leak, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
  });
}

const config = (upstream: string, echo: string, extraGeneral = '') => `model_list:
  - model_name: allowed
    litellm_params: { model: openai/ok, api_base: ${upstream}/v1, api_key: os.environ/FAKE_UPSTREAM_KEY }
  - model_name: allowed-b
    litellm_params: { model: openai/ok, api_base: ${upstream}/v1, api_key: os.environ/FAKE_UPSTREAM_KEY }
  - model_name: forbidden
    litellm_params: { model: openai/forbidden-model, api_base: ${upstream}/v1, api_key: os.environ/FAKE_UPSTREAM_KEY }
  - model_name: allowed-embedding
    litellm_params: { model: openai/text-embedding-3-small, api_base: ${upstream}/v1, api_key: os.environ/FAKE_UPSTREAM_KEY }
    model_info: { mode: embedding }
  - model_name: forbidden-embedding
    litellm_params: { model: openai/forbidden-embedding, api_base: ${upstream}/v1, api_key: os.environ/FAKE_UPSTREAM_KEY }
    model_info: { mode: embedding }
  - model_name: echo-literal
    litellm_params: { model: openai/echo, api_base: ${echo}/v1, api_key: ${literalSecret} }
  - model_name: echo-env
    litellm_params: { model: openai/echo, api_base: ${echo}/v1, api_key: os.environ/ECHO_SECRET }
  - model_name: echo-stream-first
    litellm_params: { model: openai/stream-error-first, api_base: ${echo}/v1, api_key: ${literalSecret} }
  - model_name: echo-stream-after
    litellm_params: { model: openai/stream-error-after, api_base: ${echo}/v1, api_key: os.environ/ECHO_SECRET }
  - model_name: echo-embedding
    litellm_params: { model: openai/echo-embedding, api_base: ${echo}/v1, api_key: ${literalSecret} }
    model_info: { mode: embedding }
router_settings:
  fallbacks: [{ allowed: [forbidden] }]
  # The echoing deployments answer 401 on every call: keep them out of cooldown for this test.
  allowed_fails: 1000
general_settings:
  health_check_interval: 60
${extraGeneral}`;

describe('security at the request edge', () => {
  let isolation: Isolation;
  let upstream: FakeServer;
  let echo: FakeServer;
  let system: RunningSystem;
  let second: { baseUrl: string };
  let enforcing: { baseUrl: string };
  let connection: NatsConnection;
  let limitedKey: string;

  const post = (path: string, body: unknown, key: string, baseUrl = system.baseUrl) =>
    fetch(`${baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const openai = (key: string, baseUrl = system.baseUrl) => new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: key, maxRetries: 0 });
  const anthropic = (key: string) => new Anthropic({ baseURL: system.baseUrl, apiKey: key, maxRetries: 0 });
  const nats = (key: string) => new SwitchboardNatsClient(connection, { apiKey: key, prefix: isolation.subjectPrefix, timeoutMs: 10_000 });
  const failureOf = async (call: () => Promise<unknown>): Promise<{ status?: number; text: string }> => {
    try {
      const result = await call();
      if (result && typeof result === 'object' && Symbol.asyncIterator in result) {
        const events: unknown[] = [];
        for await (const event of result as AsyncIterable<unknown>) events.push(event);
        return { status: 200, text: JSON.stringify(events) };
      }
      return { status: 200, text: JSON.stringify(result) };
    } catch (error) {
      const failure = error as { status?: number; message?: string; error?: unknown };
      return { status: failure.status, text: `${failure.message ?? ''} ${JSON.stringify(failure.error ?? null)}` };
    }
  };
  const upstreamModels = () => upstream.requests.map((request) => (request.json as { model?: string } | undefined)?.model);

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startFakeOpenAiUpstream();
    echo = await startEchoingUpstream();
    const yaml = config(upstream.url, echo.url);
    system = await startSystem({
      isolation,
      config: yaml,
      workers: [{ providers: 'openai', environment: { FAKE_UPSTREAM_KEY: upstreamKey, ECHO_SECRET: environmentSecret, SALT_KEY: 'security-edge-salt' } }],
      authEnvironment: { SALT_KEY: 'security-edge-salt' },
    });
    second = await system.startGateway();
    const enforcingPath = `${system.configPath}.enforcing.yaml`;
    writeFileSync(enforcingPath, config(upstream.url, echo.url, '  enforce_fallback_model_access: true\n'));
    enforcing = await system.startGateway({ SWITCHBOARD_CONFIG: enforcingPath });
    connection = await connect({ servers: isolation.urls.natsUrl });
    limitedKey = String((await manage(system, '/key/generate', { models: ['allowed', 'allowed-b', 'allowed-embedding'] })).key);
    await manage(system, '/model/new', { model_name: 'echo-stored', litellm_params: { model: 'openai/echo', api_base: `${echo.url}/v1`, api_key: storedSecret }, model_info: { id: 'echo-stored-1' } });
  });

  afterAll(async () => {
    await connection?.close();
    await system?.stop();
    await upstream?.close();
    await echo?.close();
    await isolation?.cleanup();
  });

  describe('model access covers every model a request can reach', () => {
    const chatBody = (fallbacks: unknown[]) => ({ model: 'allowed', messages: [{ role: 'user', content: 'hi' }], fallbacks, mock_testing_fallbacks: true });

    it('refuses a forbidden fallback, in string or object form, on chat, Messages, Responses and embeddings before any upstream call', async () => {
      const before = upstream.requests.length;
      const forms: unknown[][] = [['forbidden'], ['allowed-b', { model: 'forbidden', messages: [{ role: 'user', content: 'other' }] }]];
      for (const fallbacks of forms) {
        const chat = await failureOf(() => openai(limitedKey).chat.completions.create(chatBody(fallbacks) as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming));
        expect(chat).toMatchObject({ status: 401, text: expect.stringContaining('Tried to access forbidden') });
        const stream = await failureOf(() => openai(limitedKey).chat.completions.create({ ...chatBody(fallbacks), stream: true } as unknown as OpenAI.ChatCompletionCreateParamsStreaming));
        expect(stream.status).toBe(401);
        const messages = await failureOf(() =>
          anthropic(limitedKey).messages.create({ model: 'allowed', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }], fallbacks, mock_testing_fallbacks: true } as unknown as Anthropic.MessageCreateParamsNonStreaming),
        );
        expect(messages).toMatchObject({ status: 401, text: expect.stringContaining('forbidden') });
        const responses = await failureOf(() => openai(limitedKey).responses.create({ model: 'allowed', input: 'hi', fallbacks, mock_testing_fallbacks: true } as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming));
        expect(responses).toMatchObject({ status: 401, text: expect.stringContaining('forbidden') });
      }
      const embeddings = await failureOf(() => openai(limitedKey).embeddings.create({ model: 'allowed-embedding', input: 'x', fallbacks: ['forbidden-embedding'], mock_testing_fallbacks: true } as unknown as OpenAI.EmbeddingCreateParams));
      expect(embeddings).toMatchObject({ status: 401, text: expect.stringContaining('forbidden-embedding') });
      expect(upstream.requests.length).toBe(before);
    });

    it('refuses the same over the NATS subjects with the workspace client', async () => {
      const before = upstream.requests.length;
      const client = nats(limitedKey);
      const fallbacks = [{ model: 'forbidden' }];
      expect(await failureOf(() => client.chat.completions.create({ ...chatBody(fallbacks) } as never))).toMatchObject({ status: 401, text: expect.stringContaining('forbidden') });
      expect(await failureOf(() => client.chat.completions.create({ ...chatBody(['forbidden']), stream: true } as never))).toMatchObject({ status: 401 });
      expect(await failureOf(() => client.responses.create({ model: 'allowed', input: 'hi', fallbacks: ['forbidden'], mock_testing_fallbacks: true } as never))).toMatchObject({ status: 401, text: expect.stringContaining('forbidden') });
      expect(await failureOf(() => client.embeddings.create({ model: 'allowed-embedding', input: 'x', fallbacks: ['forbidden-embedding'], mock_testing_fallbacks: true } as never))).toMatchObject({ status: 401 });
      expect(upstream.requests.length).toBe(before);
    });

    it('serves an allowed fallback in object form with its own messages', async () => {
      const before = upstream.requests.length;
      const answer = await openai(limitedKey).chat.completions.create(chatBody([{ model: 'allowed-b', messages: [{ role: 'user', content: 'fallback-specific prompt' }] }]) as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming);
      expect(answer.choices[0].message.content).toBeTruthy();
      const sent = upstream.requests.slice(before).map((request) => JSON.stringify(request.json));
      expect(sent).toEqual([expect.stringContaining('fallback-specific prompt')]);
      const invalid = await post('/v1/chat/completions', chatBody([{ model: 'allowed-b', messages: 'not a list' }]), limitedKey);
      expect(invalid.status).toBe(400);
      expect(((await invalid.json()) as { error: { param: string } }).error.param).toMatch(/^fallbacks\[0\]\.messages/);
    });

    it('answers configured fallbacks the admin set as LiteLLM does, and skips forbidden ones with enforce_fallback_model_access', async () => {
      const before = upstream.requests.length;
      const request = { model: 'allowed', messages: [{ role: 'user', content: 'hi' }], mock_testing_fallbacks: true };
      expect((await post('/v1/chat/completions', request, limitedKey)).status).toBe(200);
      expect(upstreamModels().slice(before)).toEqual(['forbidden-model']);
      const refused = await post('/v1/chat/completions', request, limitedKey, enforcing.baseUrl);
      expect(refused.status).toBe(502);
      expect(upstreamModels().slice(before)).toEqual(['forbidden-model']);
      expect((await post('/v1/chat/completions', request, system.masterKey, enforcing.baseUrl)).status).toBe(200);
    });
  });

  describe('credentials never reach the client', () => {
    const expectScrubbed = (text: string) => {
      for (const form of secretForms) expect(text).not.toContain(form);
    };
    const rawText = async (response: Response) => `${response.status} ${await response.text()}`;

    it('scrubs literal, os.environ/ and /model/new credentials from errors on every HTTP edge, streamed and not', async () => {
      const texts: string[] = [];
      for (const model of ['echo-literal', 'echo-env', 'echo-stored']) {
        const chat = await rawText(await post('/v1/chat/completions', { model, messages: [{ role: 'user', content: 'hi' }] }, system.masterKey));
        expect(chat).toMatch(/^401 .*\[REDACTED\]/);
        texts.push(chat);
        texts.push(await rawText(await post('/v1/chat/completions', { model, stream: true, messages: [{ role: 'user', content: 'hi' }] }, system.masterKey)));
        texts.push(await rawText(await post('/v1/messages', { model, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }, system.masterKey)));
        texts.push(await rawText(await post('/v1/messages', { model, max_tokens: 5, stream: true, messages: [{ role: 'user', content: 'hi' }] }, system.masterKey)));
        texts.push(await rawText(await post('/v1/responses', { model, input: 'hi' }, system.masterKey)));
        texts.push(await rawText(await post('/v1/responses', { model, input: 'hi', stream: true }, system.masterKey)));
      }
      texts.push(await rawText(await post('/v1/embeddings', { model: 'echo-embedding', input: 'x' }, system.masterKey)));
      for (const model of ['echo-stream-first', 'echo-stream-after']) {
        for (const path of ['/v1/chat/completions', '/v1/messages', '/v1/responses']) {
          const body = path === '/v1/responses' ? { model, input: 'hi', stream: true } : { model, max_tokens: 5, stream: true, messages: [{ role: 'user', content: 'hi' }] };
          texts.push(await rawText(await post(path, body, system.masterKey)));
        }
      }
      const sdk = await failureOf(() => openai(system.masterKey).chat.completions.create({ model: 'echo-literal', messages: [{ role: 'user', content: 'hi' }] }));
      expect(sdk).toMatchObject({ status: 401, text: expect.stringContaining('[REDACTED]') });
      texts.push(sdk.text);
      // The upstream really echoed each credential (so the scrubbing had work to do).
      expect(echo.requests.map((request) => String(request.headers.authorization))).toEqual(expect.arrayContaining(secrets.map((secret) => `Bearer ${secret}`)));
      expect(texts.filter((text) => text.includes('[REDACTED]')).length).toBeGreaterThan(20);
      for (const text of texts) expectScrubbed(text);
    });

    it('scrubs them over NATS (chat, streamed chat, Responses, embeddings)', async () => {
      const client = nats(system.masterKey);
      const texts = [
        await failureOf(() => client.chat.completions.create({ model: 'echo-literal', messages: [{ role: 'user', content: 'hi' }] })),
        await failureOf(() => client.chat.completions.create({ model: 'echo-env', stream: true, messages: [{ role: 'user', content: 'hi' }] })),
        await failureOf(() => client.chat.completions.create({ model: 'echo-stream-after', stream: true, messages: [{ role: 'user', content: 'hi' }] })),
        await failureOf(() => client.responses.create({ model: 'echo-stored', input: 'hi' })),
        await failureOf(() => client.embeddings.create({ model: 'echo-embedding', input: 'x' })),
      ].map((failure) => failure.text);
      expect(texts.every((text) => text.includes('[REDACTED]'))).toBe(true);
      for (const text of texts) expectScrubbed(text);
    });

    it('scrubs GET /health, which only proxy admins may call; results are cached; probes stay open', async () => {
      const refused = await fetch(`${system.baseUrl}/health`, { headers: { authorization: `Bearer ${limitedKey}` } });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('x-request-id')).toBeTruthy();
      expect(((await refused.json()) as { error: { type: string; message: string } }).error).toMatchObject({ message: expect.stringContaining('Only proxy admin') });
      const health = await fetch(`${system.baseUrl}/health`, { headers: { authorization: `Bearer ${system.masterKey}` } });
      const text = await health.text();
      expect(health.status).toBe(200);
      const report = JSON.parse(text) as { unhealthy_endpoints: Array<{ model: string; error: string }>; healthy_count: number };
      expect(report.unhealthy_endpoints.find((endpoint) => endpoint.model === 'echo-literal')?.error).toContain('[REDACTED]');
      expectScrubbed(text);
      const probes = upstream.requests.length + echo.requests.length;
      const again = await fetch(`${system.baseUrl}/health`, { headers: { authorization: `Bearer ${system.masterKey}` } });
      expect(JSON.parse(await again.text())).toEqual(report);
      expect(upstream.requests.length + echo.requests.length).toBe(probes);
      const one = await fetch(`${system.baseUrl}/health?model=allowed`, { headers: { authorization: `Bearer ${system.masterKey}` } });
      expect(((await one.json()) as { healthy_count: number }).healthy_count).toBe(1);
      expect(upstream.requests.length + echo.requests.length).toBe(probes + 1);
      expect((await fetch(`${system.baseUrl}/health/liveliness`)).status).toBe(200);
      expect((await fetch(`${system.baseUrl}/health/readiness`)).status).toBe(200);
    });
  });

  describe('revocation is exact', () => {
    /** Polls a key on both gateways over HTTP and over NATS until each refuses it; when each did. */
    const refusedAt = async (key: string, limitMs: number): Promise<number[]> => {
      const edges: Array<() => Promise<unknown>> = [
        () => openai(key, system.baseUrl).chat.completions.create({ model: 'allowed', messages: [{ role: 'user', content: 'hi' }] }),
        () => openai(key, second.baseUrl).chat.completions.create({ model: 'allowed', messages: [{ role: 'user', content: 'hi' }] }),
        () => nats(key).chat.completions.create({ model: 'allowed', messages: [{ role: 'user', content: 'hi' }] }),
      ];
      const deadline = Date.now() + limitMs;
      return Promise.all(
        edges.map(async (call) => {
          while (Date.now() < deadline) {
            const outcome = await failureOf(call);
            if (outcome.status === 401) return Date.now();
            expect(outcome.status).toBe(200);
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          throw new Error('still accepted');
        }),
      );
    };

    it('refuses a regenerated key within 1 s of the end of its grace period, on two gateways and over NATS', async () => {
      const oldKey = String((await manage(system, '/key/generate', { models: ['allowed'] })).key);
      const regenerated = await manage(system, '/key/regenerate', { key: oldKey, grace_period: '3s' });
      const database = new pg.Client({ connectionString: isolation.environment.DATABASE_URL });
      await database.connect();
      let revokeAt: number;
      try {
        const row = await database.query('SELECT revoke_at FROM identity_deprecated_keys WHERE active_token = $1', [regenerated.token]);
        revokeAt = new Date(row.rows[0].revoke_at as string).getTime();
      } finally {
        await database.end();
      }
      const refused = await refusedAt(oldKey, 15_000);
      console.info(`regenerated key refused ${refused.map((at) => at - revokeAt).join(' / ')} ms after its grace period (gateway 1, gateway 2, NATS)`);
      for (const at of refused) {
        expect(at).toBeGreaterThanOrEqual(revokeAt - 50);
        expect(at - revokeAt).toBeLessThan(1_000);
      }
      expect((await failureOf(() => openai(String(regenerated.key)).chat.completions.create({ model: 'allowed', messages: [{ role: 'user', content: 'hi' }] }))).status).toBe(200);
    });

    it('refuses an expired key within 1 s of its expiry, on two gateways and over NATS', async () => {
      const created = await manage(system, '/key/generate', { models: ['allowed'], duration: '3s' });
      const expiresAt = Date.parse(String(created.expires));
      const refused = await refusedAt(String(created.key), 15_000);
      console.info(`expired key refused ${refused.map((at) => at - expiresAt).join(' / ')} ms after its expiry (gateway 1, gateway 2, NATS)`);
      for (const at of refused) {
        expect(at).toBeGreaterThanOrEqual(expiresAt - 50);
        expect(at - expiresAt).toBeLessThan(1_000);
      }
    });
  });

  describe('input bounds', () => {
    const nested = (levels: number) => `{"model":"allowed","messages":[{"role":"user","content":"hi"}],"metadata":{"deep":${'['.repeat(levels)}${']'.repeat(levels)}}}`;

    it('refuses a body nested 5,000 levels deep with a 400 naming the limit, on HTTP (both error shapes) and NATS', async () => {
      const chat = await post('/v1/chat/completions', nested(5_000), system.masterKey);
      expect(chat.status).toBe(400);
      expect(chat.headers.get('x-request-id')).toBeTruthy();
      expect(((await chat.json()) as { error: { message: string } }).error.message).toContain('max_request_json_depth');
      const messages = await post('/v1/messages', nested(5_000), system.masterKey);
      expect(messages.status).toBe(400);
      expect(await messages.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('max_request_json_depth') } });
      // Sent as text: a client-side JSON.stringify of such a value would overflow the caller's stack.
      const headers = natsHeaders();
      headers.set('authorization', `Bearer ${system.masterKey}`);
      const reply = await connection.request(`${isolation.subjectPrefix}.api.cmd.chat_completions.v1`, nested(5_000), { timeout: 10_000, headers });
      expect(reply.headers?.get('sb-status')).toBe('400');
      expect(reply.string()).toContain('max_request_json_depth');
    });

    it('refuses 10,000 messages with a clear 400 on HTTP and NATS', async () => {
      const messages = Array.from({ length: 10_000 }, () => ({ role: 'user' as const, content: 'hi' }));
      const overHttp = await failureOf(() => openai(system.masterKey).chat.completions.create({ model: 'allowed', messages }));
      expect(overHttp).toMatchObject({ status: 400, text: expect.stringContaining('max_request_messages') });
      const overNats = await failureOf(() => nats(system.masterKey).chat.completions.create({ model: 'allowed', messages }));
      expect(overNats).toMatchObject({ status: 400, text: expect.stringContaining('max_request_messages') });
    });

    it('quotes no more than an excerpt of a 1 MB model name', async () => {
      const model = `m${'x'.repeat(1_000_000)}`;
      for (const [path, body, key] of [
        ['/v1/chat/completions', { model, messages: [{ role: 'user', content: 'hi' }] }, system.masterKey],
        ['/v1/chat/completions', { model, messages: [{ role: 'user', content: 'hi' }] }, limitedKey],
        ['/v1/messages', { model, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }, system.masterKey],
        ['/v1/responses', { model, input: 'hi' }, system.masterKey],
      ] as const) {
        const response = await post(path, body, key);
        const text = await response.text();
        expect([400, 401]).toContain(response.status);
        expect(text.length).toBeLessThan(1_000);
        expect(text).toContain('(1000001 characters)');
      }
    });
  });
});
