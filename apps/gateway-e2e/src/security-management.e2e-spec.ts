import OpenAI from 'openai';
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
`;

type Json = Record<string, unknown>;

/** Management authorization (docs/security.md) as an HTTP client sees it: status, OpenAI error JSON, x-request-id. */
describe('management authorization through the gateway', () => {
  let isolation: Isolation;
  let system: RunningSystem;

  const call = async (path: string, key: string, body?: Json) => {
    const response = await fetch(`${system.baseUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Json, requestId: response.headers.get('x-request-id') };
  };
  const admin = async (path: string, body?: Json) => {
    const result = await call(path, system.masterKey, body);
    expect(result.status, `${path}: ${JSON.stringify(result.body)}`).toBe(200);
    return result.body;
  };

  beforeAll(async () => {
    isolation = await createIsolation();
    system = await startSystem({ isolation, config, workers: [{ providers: 'mock' }] });
  });

  afterAll(async () => {
    await system?.stop();
    await isolation?.cleanup();
  });

  it("a key with no user calls its models and reads its own /key/info; every other management route is LiteLLM's 401", async () => {
    const key = String((await admin('/key/generate', { models: ['mock-gpt'] })).key);
    const answer = await new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: key, maxRetries: 0 }).chat.completions.create({ model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }] });
    expect(answer.choices[0].message.content).toBeTruthy();
    const own = await call('/key/info', key);
    expect(own.status).toBe(200);
    const before = (await admin('/key/list')).total_count;
    for (const [path, body] of [['/key/generate', {}], ['/key/generate', { models: [] }], ['/key/list', undefined], ['/user/new', { user_role: 'proxy_admin' }], ['/model/new', { model_name: 'x', litellm_params: { model: 'mock/x' } }]] as const) {
      const refused = await call(path, key, body);
      expect(refused.status, path).toBe(401);
      expect(refused.body.error).toEqual({
        message: `Authentication Error, Only proxy admin can be used to generate, delete, update info for new keys/users/teams. Route=${path}. Your role=unknown. Your user_id=unknown`,
        type: 'authentication_error',
        param: null,
        code: 'invalid_api_key',
      });
      expect(refused.requestId).toMatch(/^req_/);
    }
    expect((await admin('/key/list')).total_count).toBe(before);
  });

  it('a team admin cannot mint or move a key to a proxy admin, so it never gets the master key\'s powers', async () => {
    const team = await admin('/team/new', { team_alias: 'search', models: ['mock-gpt'] });
    const teamId = String(team.team_id);
    await admin('/user/new', { user_id: 'root', user_role: 'proxy_admin', teams: [teamId], auto_create_key: false });
    const lead = String((await admin('/user/new', { user_id: 'lead', teams: [{ team_id: teamId, user_role: 'admin' }] })).key);
    const minted = await call('/key/generate', lead, { user_id: 'root', team_id: teamId });
    expect(minted.status).toBe(403);
    expect(minted.body.error).toMatchObject({ type: 'permission_error', param: 'user_id' });
    const moved = await call('/key/update', lead, { key: lead, user_id: 'root' });
    expect(moved.status).toBe(403);
    // What the team admin may do, it still does: a key for itself in its team, bounded by the team's models.
    const own = await call('/key/generate', lead, { team_id: teamId });
    expect(own.status).toBe(200);
    expect((await call('/key/generate', lead, { team_id: teamId, models: ['mock-mini'] })).status).toBe(403);
    // No admin-equivalent key exists: the master key's routes stay closed to every key the team admin holds.
    for (const key of [lead, String(own.body.key)]) expect((await call('/global/spend/keys', key)).status).toBe(403);
  });
});
