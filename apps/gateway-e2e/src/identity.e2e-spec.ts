import OpenAI from 'openai';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation, startSystem } from '@switchboard/testing';
import type { Isolation, RunningSystem } from '@switchboard/testing';

const config = `model_list:
  - model_name: mock-gpt
    litellm_params:
      model: mock/mock-gpt
  - model_name: mock-mini
    litellm_params:
      model: mock/mock-mini
    model_info:
      access_groups: [beta]
  - model_name: mock-embedding
    litellm_params:
      model: mock/mock-embedding
`;

type Json = Record<string, unknown>;

describe('identity: virtual keys, teams and users through the management API', () => {
  let isolation: Isolation;
  let system: RunningSystem;
  let second: { baseUrl: string };

  const admin = (path: string, body?: Json, baseUrl = system.baseUrl, key = system.masterKey, headers: Record<string, string> = {}) =>
    fetch(`${baseUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const json = async (response: Response) => ({ status: response.status, body: (await response.json()) as Json, requestId: response.headers.get('x-request-id') });
  const client = (key: string, baseUrl = system.baseUrl) => new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: key, maxRetries: 0 });
  const chat = (key: string, model = 'mock-gpt', baseUrl = system.baseUrl) => client(key, baseUrl).chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
  const statusOf = async (key: string, baseUrl: string) => {
    try {
      await chat(key, 'mock-gpt', baseUrl);
      return 200;
    } catch (error) {
      return (error as { status?: number }).status ?? 0;
    }
  };
  const within = async (limitMs: number, check: () => Promise<boolean>) => {
    const started = Date.now();
    while (Date.now() - started < limitMs) {
      if (await check()) return Date.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`not within ${limitMs} ms`);
  };

  beforeAll(async () => {
    isolation = await createIsolation();
    system = await startSystem({
      isolation,
      config,
      workers: [{ providers: 'mock', environment: { SALT_KEY: 'test-salt-key', LOG_LEVEL: 'debug' } }],
      authEnvironment: { SALT_KEY: 'test-salt-key', LOG_LEVEL: 'debug' },
      gatewayEnvironment: { LOG_LEVEL: 'debug' },
      // Budgeted keys are admitted against spend seeded from the ledger the budget service keeps.
      budget: true,
    });
    second = await system.startGateway();
  });

  afterAll(async () => {
    await system?.stop();
    await isolation?.cleanup();
  });

  it("runs LiteLLM's documented flow: team, user, key with models and limits, call, info, update, block, delete", async () => {
    const team = await json(await admin('/team/new', { team_alias: 'search', models: ['mock-gpt', 'mock-mini'], max_budget: 10 }));
    expect(team.status).toBe(200);
    const teamId = String(team.body.team_id);
    const user = await json(await admin('/user/new', { user_email: 'ada@example.com', user_role: 'internal_user', teams: [teamId] }, undefined, undefined, { 'litellm-changed-by': 'ops-bot' }));
    expect(user.status).toBe(200);
    expect(user.body.key).toMatch(/^sk-/);
    expect(user.body.created_by).toBe('ops-bot');
    const userId = String(user.body.user_id);

    const generated = await json(await admin('/key/generate', { user_id: userId, team_id: teamId, models: ['mock-gpt'], key_alias: 'ada-search', max_budget: 5, tpm_limit: 1000, rpm_limit: 10, duration: '30d', metadata: { app: 'search' } }));
    expect(generated.status).toBe(200);
    const key = String(generated.body.key);
    expect(key).toMatch(/^sk-[A-Za-z0-9_-]{43}$/);
    expect(generated.body.key_name).toBe(`sk-...${key.slice(-4)}`);
    expect(generated.body.token).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(String(generated.body.expires))).toBeGreaterThan(Date.now() + 29 * 86_400_000);

    const completion = await chat(key);
    expect(completion.choices[0].message.content).toBeTruthy();
    await expect(chat(key, 'mock-mini')).rejects.toMatchObject({ status: 401, message: expect.stringContaining('key not allowed to access model') });
    const models = await client(key).models.list();
    expect(models.data.map((model) => model.id)).toEqual(['mock-gpt']);

    const info = await json(await admin(`/key/info?key=${encodeURIComponent(key)}`));
    expect(info.status).toBe(200);
    expect(info.body.info).toMatchObject({ key_alias: 'ada-search', user_id: userId, team_id: teamId, models: ['mock-gpt'], max_budget: 5, tpm_limit: 1000, rpm_limit: 10, metadata: { app: 'search' }, blocked: false });
    expect(JSON.stringify(info.body.info)).not.toContain(key);

    const updated = await json(await admin('/key/update', { key, models: ['mock-gpt', 'mock-mini'], max_budget: 7 }));
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ models: ['mock-gpt', 'mock-mini'], max_budget: 7 });
    await within(2_000, async () => (await chat(key, 'mock-mini').then(() => true, () => false)));

    expect((await admin('/key/block', { key })).status).toBe(200);
    await within(2_000, async () => (await statusOf(key, system.baseUrl)) === 401);
    expect((await admin('/key/unblock', { key })).status).toBe(200);
    await within(2_000, async () => (await statusOf(key, system.baseUrl)) === 200);

    const deleted = await json(await admin('/key/delete', { keys: [key] }));
    expect(deleted.body).toEqual({ deleted_keys: [key] });
    await within(2_000, async () => (await statusOf(key, system.baseUrl)) === 401);
    expect((await admin(`/key/info?key=${encodeURIComponent(key)}`)).status).toBe(404);
  });

  it('revocation reaches a second gateway instance within 2 s', async () => {
    const { body } = await json(await admin('/key/generate', { models: [] }));
    const key = String(body.key);
    expect(await statusOf(key, second.baseUrl)).toBe(200);
    expect(await statusOf(key, system.baseUrl)).toBe(200);
    expect((await admin('/key/block', { key })).status).toBe(200);
    const elapsed = await within(2_000, async () => (await statusOf(key, second.baseUrl)) === 401);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('a model stored in the database becomes routable on both instances without a restart, credentials encrypted', async () => {
    const created = await json(
      await admin('/model/new', { model_name: 'db-model', litellm_params: { model: 'mock/db-model', api_key: 'sk-stored-secret-canary' }, model_info: { id: 'db-model-1' } }),
    );
    expect(created.status).toBe(200);
    expect(JSON.stringify(created.body)).not.toContain('sk-stored-secret-canary');
    for (const baseUrl of [system.baseUrl, second.baseUrl]) {
      await within(2_000, async () => (await chat(system.masterKey, 'db-model', baseUrl).then(() => true, () => false)));
    }
    const info = await json(await admin('/v1/model/info?litellm_model_id=db-model-1'));
    expect(info.body.data).toEqual([expect.objectContaining({ model_name: 'db-model', litellm_params: { model: 'mock/db-model', api_key: '*****' }, model_info: expect.objectContaining({ id: 'db-model-1', db_model: true }) })]);
    const database = new pg.Client({ connectionString: isolation.databaseUrl });
    await database.connect();
    try {
      const row = await database.query('SELECT litellm_params::text AS params FROM identity_models');
      expect(row.rows[0].params).toContain('encrypted/');
      expect(row.rows[0].params).not.toContain('sk-stored-secret-canary');
    } finally {
      await database.end();
    }
    expect((await admin('/model/delete', { id: 'db-model-1' })).status).toBe(200);
    await within(2_000, async () => (await chat(system.masterKey, 'db-model', second.baseUrl).then(() => false, () => true)));
  });

  it('regenerating keeps the old key working for the grace period only', async () => {
    const { body } = await json(await admin('/key/generate', { key_alias: 'rotating' }));
    const oldKey = String(body.key);
    expect(await statusOf(oldKey, system.baseUrl)).toBe(200);
    const withGrace = await json(await admin(`/key/${encodeURIComponent(oldKey)}/regenerate`, { grace_period: '1h' }));
    expect(withGrace.status).toBe(200);
    const newKey = String(withGrace.body.key);
    expect(newKey).not.toBe(oldKey);
    expect(await statusOf(newKey, second.baseUrl)).toBe(200);
    expect(await statusOf(oldKey, second.baseUrl)).toBe(200);
    const again = await json(await admin('/key/regenerate', { key: newKey }));
    expect(again.status).toBe(200);
    await within(2_000, async () => (await statusOf(newKey, system.baseUrl)) === 401);
    expect(await statusOf(String(again.body.key), system.baseUrl)).toBe(200);
  });

  it('accepts virtual keys as Bearer, x-api-key and api-key; refuses missing, malformed and unknown keys with 401', async () => {
    const { body } = await json(await admin('/key/generate', {}));
    const key = String(body.key);
    const request = { model: 'mock-gpt', messages: [{ role: 'user', content: 'x' }] };
    const variants: Array<Record<string, string>> = [{ authorization: `Bearer ${key}` }, { 'x-api-key': key }, { 'api-key': key }];
    for (const headers of variants) {
      const response = await fetch(`${system.baseUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(request) });
      expect(response.status).toBe(200);
    }
    for (const wrong of ['not-a-key', 'sk-unknown-key-000000000000000000000000000']) {
      const response = await json(await admin('/v1/models', undefined, system.baseUrl, wrong));
      expect(response.status).toBe(401);
      expect(response.requestId).toMatch(/^req_/);
      expect(JSON.stringify(response.body)).not.toContain(wrong);
    }
  });

  it('answers bad input with 400 naming the field and unknown ids with 404, as OpenAI error JSON', async () => {
    const bad = await json(await admin('/key/generate', { max_budget: -1 }));
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ param: 'max_budget', type: 'invalid_request_error' });
    expect(bad.requestId).toMatch(/^req_/);
    const badDuration = await json(await admin('/key/generate', { duration: 'forever' }));
    expect(badDuration.body.error).toMatchObject({ param: 'duration' });
    const unknown = await json(await admin('/team/info?team_id=nope'));
    expect(unknown.status).toBe(404);
    expect((await admin('/user/info?user_id=nope')).status).toBe(404);
    expect((await admin('/key/info?key=sk-nope-nope-nope')).status).toBe(404);
  });

  it('a key with key_type llm_api cannot manage; a management key cannot call models', async () => {
    const llm = String((await json(await admin('/key/generate', { key_type: 'llm_api' }))).body.key);
    // A key with no user may not manage at all (LiteLLM's 401), so the management key belongs to a user.
    await admin('/user/new', { user_id: 'key-type-manager', auto_create_key: false });
    const management = String((await json(await admin('/key/generate', { key_type: 'management', user_id: 'key-type-manager' }))).body.key);
    expect(await statusOf(llm, system.baseUrl)).toBe(200);
    expect((await admin('/key/list', undefined, system.baseUrl, llm)).status).toBe(401);
    expect(await statusOf(management, system.baseUrl)).toBe(401);
    expect((await admin('/key/list', undefined, system.baseUrl, management)).status).toBe(200);
  });

  it('keys already verified keep working while the auth service is down; unknown keys get 503', async () => {
    const { body } = await json(await admin('/key/generate', {}));
    const key = String(body.key);
    expect(await statusOf(key, system.baseUrl)).toBe(200);
    await system.auth?.stop();
    try {
      expect(await statusOf(key, system.baseUrl)).toBe(200);
      expect(await statusOf('sk-never-seen-000000000000000000000000000', system.baseUrl)).toBe(503);
      expect(await statusOf(system.masterKey, system.baseUrl)).toBe(200);
    } finally {
      const restarted = await system.restartAuth();
      expect(restarted).toBe(true);
    }
  });

  it('never stores or logs a plaintext key (canary search over every table and every log)', async () => {
    const { body } = await json(await admin('/key/generate', { key_alias: 'canary' }));
    const canary = String(body.key);
    await chat(canary);
    await admin('/key/update', { key: canary, metadata: { note: 'x' } });
    await admin('/key/info', undefined, system.baseUrl, canary);
    await admin('/key/delete', { keys: [canary] });
    await statusOf(canary, system.baseUrl);
    const database = new pg.Client({ connectionString: isolation.databaseUrl });
    await database.connect();
    try {
      const tables = await database.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
      for (const { table_name: table } of tables.rows) {
        const rows = await database.query(`SELECT row_to_json(t)::text AS row FROM "${table}" t`);
        for (const row of rows.rows) expect(row.row, `table ${table}`).not.toContain(canary);
      }
    } finally {
      await database.end();
    }
    for (const service of system.processes) expect(service.logs(), service.name).not.toContain(canary);
  });

  it('wires every management route through the gateway to the auth service (OpenAI error JSON, x-request-id)', async () => {
    const post = ['key/generate', 'key/update', 'key/delete', 'key/regenerate', 'key/block', 'key/unblock', 'key/sk-unknown-0000000000/regenerate', 'user/new', 'user/update', 'user/delete', 'team/new', 'team/update', 'team/delete', 'team/member_add', 'team/member_delete', 'team/block', 'team/unblock', 'organization/new', 'organization/update', 'organization/delete', 'organization/member_add', 'organization/info', 'customer/new', 'customer/update', 'customer/delete', 'customer/block', 'customer/unblock', 'end_user/new', 'end_user/block', 'model/new', 'model/update', 'model/delete', 'model/unknown-id/update'];
    const get = ['key/info?key=sk-unknown', 'key/list', 'user/info?user_id=nobody', 'user/list', 'team/info?team_id=none', 'team/list', 'organization/info?organization_id=none', 'organization/list', 'customer/info?end_user_id=none', 'customer/list', 'end_user/list', 'model/info', 'v1/model/info'];
    for (const [method, routes] of [['POST', post], ['GET', get]] as const) {
      for (const route of routes) {
        const response = await fetch(`${system.baseUrl}/${route}`, {
          method,
          headers: { authorization: `Bearer ${system.masterKey}`, 'content-type': 'application/json' },
          body: method === 'POST' ? JSON.stringify({ wrong_field_only: true }) : undefined,
        });
        expect(response.headers.get('x-request-id'), route).toMatch(/^req_/);
        const body = (await response.json()) as { error?: { message: string; type: string } };
        expect([200, 400, 403, 404], `${method} ${route}: ${response.status}`).toContain(response.status);
        if (response.status !== 200) {
          expect(body.error?.type, route).toBeTruthy();
          // Answered by the auth service (or the gateway's model info), not a missing route.
          expect(body.error?.message, route).not.toMatch(/Unknown route|Unknown management route/);
        }
      }
    }
  });
});

