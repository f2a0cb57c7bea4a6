import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation, sendJson, startFakeServer, startSystem } from '@switchboard/testing';
import { manage } from './e2e-config';
import type { FakeServer, Isolation, RecordedRequest, RunningSystem } from '@switchboard/testing';

type Json = Record<string, unknown>;
type LangfuseBatch = { batch: Array<{ type: string; body: Json }> };

const teamSecret = 'sk-lf-team-literal-canary-5f1c';
const notAllowedSecret = 'sk-not-allowed-canary-90ab';

describe('per-key and per-team logging callbacks (metadata.logging)', () => {
  let isolation: Isolation;
  let system: RunningSystem;
  let teamLangfuse: FakeServer;
  let movedLangfuse: FakeServer;
  let keyHook: FakeServer;
  let globalHook: FakeServer;
  let keyHookUp = false;

  const admin = (path: string, body: Json) => manage(system, path, body);
  const call = async (key: string) => {
    const client = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: key, maxRetries: 0 });
    const { response } = await client.chat.completions.create({ model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toBeTruthy();
    return String(requestId);
  };
  const generationIds = (server: FakeServer) =>
    server.requests.flatMap((request) => ((request.json as LangfuseBatch | undefined)?.batch ?? []).filter((item) => item.type === 'generation-create').map((item) => String(item.body.id)));
  /** The request ids a webhook took (answered 200). */
  const answered = new Map<RecordedRequest, number>();
  const hookIds = (server: FakeServer) =>
    server.requests.filter((request) => answered.get(request) === 200).flatMap((request) => ((request.json as Array<{ id: string }>) ?? []).map((payload) => payload.id));
  const eventually = async (check: () => boolean, limitMs = 15_000) => {
    const deadline = Date.now() + limitMs;
    while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    return check();
  };

  beforeAll(async () => {
    isolation = await createIsolation();
    teamLangfuse = await startFakeServer((_request, response) => sendJson(response, 207, { successes: [], errors: [] }));
    movedLangfuse = await startFakeServer((_request, response) => sendJson(response, 207, { successes: [], errors: [] }));
    keyHook = await startFakeServer((request, response) => {
      answered.set(request, keyHookUp ? 200 : 503);
      sendJson(response, keyHookUp ? 200 : 503, {});
    });
    // The operator's own webhook is down for the whole test: per-caller delivery must not wait on it.
    globalHook = await startFakeServer((_request, response) => sendJson(response, 503, {}));
    system = await startSystem({
      isolation,
      config: `model_list:\n  - model_name: mock-gpt\n    litellm_params:\n      model: mock/mock-gpt\nlitellm_settings:\n  success_callback: ["webhook"]\n`,
      workers: [{ providers: 'mock', environment: { SALT_KEY: 'test-salt-key', LOG_LEVEL: 'debug' } }],
      authEnvironment: { SALT_KEY: 'test-salt-key', LOG_LEVEL: 'debug' },
      gatewayEnvironment: { LOG_LEVEL: 'debug' },
      logging: {
        GENERIC_LOGGER_ENDPOINT: `${globalHook.url}/global`,
        CALLBACK_FLUSH_MS: '1000',
        // Retries within the test's patience: a 3 s backoff (the ack wait must cover flush + timeout).
        CALLBACK_TIMEOUT_MS: '2000',
        CALLBACK_BACKOFF_SECONDS: '3',
        CALLBACK_VARS_ENV_ALLOWLIST: 'KEY_HOOK_*',
        KEY_HOOK_URL: `${keyHook.url}/key-hook`,
        KEY_HOOK_HEADERS: 'x-hook-token=hook-secret-from-env',
        NOT_ALLOWED_SECRET: notAllowedSecret,
        LOG_LEVEL: 'debug',
      },
    });
  });

  afterAll(async () => {
    await system?.stop();
    await Promise.all([teamLangfuse?.close(), movedLangfuse?.close(), keyHook?.close(), globalHook?.close()]);
    await isolation?.cleanup();
  });

  it("delivers a team's requests to the team's Langfuse with its keys, another key's to its own webhook, and neither to the other", async () => {
    const team = await admin('/team/new', {
      team_alias: 'agents',
      metadata: {
        logging: [
          { callback_name: 'langfuse', callback_type: 'success', callback_vars: { langfuse_public_key: 'pk-lf-team', langfuse_secret_key: teamSecret, langfuse_host: teamLangfuse.url } },
          // Not allow-listed: must never be resolved, whatever host it names.
          { callback_name: 'langfuse', callback_vars: { langfuse_public_key: 'pk-lf-steal', langfuse_secret_key: 'os.environ/NOT_ALLOWED_SECRET', langfuse_host: teamLangfuse.url } },
        ],
      },
    });
    const teamId = String(team.team_id);
    const teamKey = String((await admin('/key/generate', { team_id: teamId, key_alias: 'team-key' })).key);
    const otherKey = String(
      (
        await admin('/key/generate', {
          key_alias: 'other-key',
          metadata: { logging: [{ callback_name: 'generic_api', callback_type: 'success_and_failure', callback_vars: { generic_logger_endpoint: 'os.environ/KEY_HOOK_URL', generic_logger_headers: 'os.environ/KEY_HOOK_HEADERS' } }] },
        })
      ).key,
    );

    // The other key's webhook is down at first: its events wait, the team's do not.
    const otherIds = [await call(otherKey), await call(otherKey)];
    const teamIds = [await call(teamKey), await call(teamKey)];
    expect(await eventually(() => teamIds.every((id) => generationIds(teamLangfuse).includes(id)))).toBe(true);
    expect(await eventually(() => globalHook.requests.length > 0 && keyHook.requests.length > 0)).toBe(true);
    expect(hookIds(keyHook)).toEqual([]);

    const sent = teamLangfuse.requests.find((request) => ((request.json as LangfuseBatch).batch ?? []).some((item) => item.body.id === teamIds[0]));
    expect(sent?.url).toBe('/api/public/ingestion');
    expect(sent?.headers.authorization).toBe(`Basic ${Buffer.from(`pk-lf-team:${teamSecret}`).toString('base64')}`);
    const generation = (sent?.json as LangfuseBatch).batch.find((item) => item.type === 'generation-create');
    expect(generation?.body).toMatchObject({ name: 'mock-gpt', metadata: { key_alias: 'team-key', team: teamId } });

    // The webhook comes back: what it missed is delivered (from the stream), with the headers from the environment.
    keyHookUp = true;
    expect(await eventually(() => otherIds.every((id) => hookIds(keyHook).includes(id)), 30_000)).toBe(true);
    const delivered = keyHook.requests.find((request) => answered.get(request) === 200);
    expect(delivered?.url).toBe('/key-hook');
    expect(delivered?.headers['x-hook-token']).toBe('hook-secret-from-env');
    expect(hookIds(keyHook).filter((id) => teamIds.includes(id))).toEqual([]);
    expect(generationIds(teamLangfuse).filter((id) => otherIds.includes(id))).toEqual([]);

    // A reference outside CALLBACK_VARS_ENV_ALLOWLIST is never resolved nor sent.
    const authorizations = teamLangfuse.requests.map((request) => Buffer.from(String(request.headers.authorization).replace(/^Basic /, ''), 'base64').toString());
    expect(authorizations.every((value) => value === `pk-lf-team:${teamSecret}`)).toBe(true);
    const logging = system.processes.find((service) => service.name === 'logging');
    expect(logging?.logs()).toContain('NOT_ALLOWED_SECRET, which is not in CALLBACK_VARS_ENV_ALLOWLIST');
    // Secrets, literal or from the environment, reach no log.
    for (const service of system.processes) {
      expect(service.logs(), service.name).not.toContain(teamSecret);
      expect(service.logs(), service.name).not.toContain(notAllowedSecret);
      expect(service.logs(), service.name).not.toContain('hook-secret-from-env');
    }
  });

  it("a change of the team's logging applies to its keys' next requests", async () => {
    const team = await admin('/team/new', {
      team_alias: 'movers',
      metadata: { logging: [{ callback_name: 'langfuse', callback_vars: { langfuse_public_key: 'pk-a', langfuse_secret_key: 'sk-a', langfuse_host: teamLangfuse.url } }] },
    });
    const key = String((await admin('/key/generate', { team_id: team.team_id })).key);
    const before = await call(key);
    expect(await eventually(() => generationIds(teamLangfuse).includes(before))).toBe(true);
    await admin('/team/update', {
      team_id: team.team_id,
      metadata: { logging: [{ callback_name: 'langfuse', callback_vars: { langfuse_public_key: 'pk-b', langfuse_secret_key: 'sk-b', langfuse_host: movedLangfuse.url } }] },
    });
    // The gateway drops the team's cached keys on the change event; requests after that go to the new place.
    const deadline = Date.now() + 15_000;
    let moved = false;
    while (!moved && Date.now() < deadline) {
      const id = await call(key);
      await eventually(() => generationIds(movedLangfuse).includes(id) || generationIds(teamLangfuse).includes(id), 5_000);
      moved = generationIds(movedLangfuse).includes(id);
    }
    expect(moved).toBe(true);
    expect(movedLangfuse.requests[0].headers.authorization).toBe(`Basic ${Buffer.from('pk-b:sk-b').toString('base64')}`);
  });
});
