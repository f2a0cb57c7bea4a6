import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI, { AzureOpenAI } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation, startApp, startFakeOpenAiUpstream, startFakeServer, startSystem, waitForUsageEvent } from '@switchboard/testing';
import type { FakeServer, Isolation, RecordedRequest, RunningSystem } from '@switchboard/testing';
import { manage } from './e2e-config';

const upstreamKey = 'sk-upstream-litellm-config';

function config(upstream: string, webhook: string): string {
  const deployment = (name: string, model: string, extra = '') => `  - model_name: "${name}"
    litellm_params:
      model: openai/${model}
      api_base: ${upstream}/v1
      api_key: ${upstreamKey}
${extra}`;
  return `credential_list:
  - credential_name: fake-upstream
    credential_values: { api_base: ${upstream}/v1, api_key: ${upstreamKey} }
model_list:
${deployment('untagged', 'ok')}
${deployment('*', '*', '    model_info: { id: wildcard }')}
${deployment('defaults', 'ok', '      temperature: 0.3\n      max_tokens: 77\n    model_info: { id: with-defaults }')}
${deployment('target', 'ok', '    model_info: { id: target-ok, access_groups: [beta-models], max_input_tokens: 1000, rpm: 60 }')}
${deployment('fake-embedding', 'text-embedding-3-small', '    model_info: { mode: embedding }')}
  - model_name: from-credential
    litellm_params: { model: openai/ok, litellm_credential_name: fake-upstream }
    model_info: { id: from-credential }
${deployment('priced', 'ok', '      input_cost_per_token: "0.000001"\n      output_cost_per_token: "0.000002"\n    model_info: { id: priced-ok }')}
router_settings:
  model_group_alias: { friendly: target, secret-alias: { model: target, hidden: true } }
litellm_settings:
  max_end_user_budget: 0.00002
  success_callback: [webhook]
  redact_user_api_key_info: true
  default_team_settings:
    - team_id: config-team
      success_callback: [generic_api]
      generic_logger_endpoint: ${webhook}/team-hook
general_settings:
  litellm_key_header_name: X-Litellm-Key
  forward_client_headers_to_llm_api: true
  background_health_checks: true
  health_check_interval: 300
`;
}

/** The upstream requests whose last user message is this text. */
function upstreamCalls(upstream: FakeServer, text: string): RecordedRequest[] {
  return upstream.requests.filter((request) => {
    const messages = (request.json as { messages?: Array<{ content?: unknown }> } | undefined)?.messages;
    return messages?.some((message) => message.content === text) ?? false;
  });
}

const json = (request: RecordedRequest) => request.json as Record<string, unknown>;

describe('LiteLLM configs: tags, wildcards, aliases, defaults and model routes', () => {
  let isolation: Isolation;
  let upstream: FakeServer;
  let system: RunningSystem;
  let client: OpenAI;
  let webhook: FakeServer;
  const priceDirectory = mkdtempSync(join(tmpdir(), 'switchboard-prices-'));

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startFakeOpenAiUpstream();
    // The price catalogue knows nothing of `anything-9`: an override file does, as LiteLLM users price private models.
    const prices = join(priceDirectory, 'prices.json');
    writeFileSync(prices, JSON.stringify({ 'anything-9': { input_cost_per_token: '0.000001', output_cost_per_token: '0.000002', litellm_provider: 'openai', mode: 'chat' } }));
    webhook = await startFakeServer((_request, response) => {
      response.writeHead(200).end('{}');
    });
    system = await startSystem({
      isolation,
      config: config(upstream.url, webhook.url),
      workers: [{ providers: 'openai' }],
      budget: true,
      // A new end user's budget is seeded from the ledger on its first request: room for a loaded test machine.
      budgetEnvironment: { PRICE_OVERRIDES_FILE: prices, PERIOD_SPEND_TIMEOUT_MS: '12000' },
      gatewayEnvironment: { BUDGET_SEED_TIMEOUT_MS: '15000' },
      logging: { GENERIC_LOGGER_ENDPOINT: `${webhook.url}/log`, CALLBACK_FLUSH_MS: '1000' },
    });
    client = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: system.masterKey, maxRetries: 0 });
  });

  afterAll(async () => {
    await system?.stop();
    await upstream?.close();
    await webhook?.close();
    await isolation?.cleanup();
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${system.baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${system.masterKey}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const get = async (path: string, key = system.masterKey) => (await fetch(`${system.baseUrl}${path}`, { headers: { authorization: `Bearer ${key}` } })).json() as Promise<Record<string, unknown>>;

  it('answers tagged requests to untagged deployments (tags only label spend without enable_tag_filtering)', async () => {
    const { response } = await client.chat.completions
      .create({ model: 'untagged', messages: [{ role: 'user', content: 'tagged' }], ...({ tags: ['paid'] } as object) }, { headers: { 'x-litellm-tags': 'team-a, batch' } })
      .withResponse();
    expect(response.status).toBe(200);
    const event = await waitForUsageEvent(isolation, response.headers.get('x-request-id') ?? '');
    expect(event?.caller?.tags).toEqual(expect.arrayContaining(['paid', 'team-a', 'batch']));
  });

  it('routes model "anything-9" through the * wildcard as anything-9, and prices and records it as that model', async () => {
    const { data, response } = await client.chat.completions.create({ model: 'anything-9', messages: [{ role: 'user', content: 'wildcard' }] }).withResponse();
    expect(data.choices[0].message.content).toBeTruthy();
    expect(upstreamCalls(upstream, 'wildcard').map((request) => json(request).model)).toEqual(['anything-9']);
    expect(response.headers.get('x-litellm-model-group')).toBe('anything-9');
    expect(response.headers.get('x-litellm-model-id')).toBe('wildcard');
    const requestId = response.headers.get('x-request-id') ?? '';
    expect(await waitForUsageEvent(isolation, requestId)).toMatchObject({ modelGroup: 'anything-9', deploymentId: 'wildcard', upstreamModel: 'anything-9' });
    // The fake upstream reports 11 prompt and 7 completion tokens: 11 x $0.000001 + 7 x $0.000002.
    let rows: Array<{ cost: string; price_missing: boolean; model_group?: string }> = [];
    for (const deadline = Date.now() + 10_000; rows.length === 0 && Date.now() < deadline; ) {
      rows = (await get(`/spend/logs?request_id=${requestId}`)) as unknown as typeof rows;
      if (rows.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(rows[0]).toMatchObject({ cost: '0.000025000000', price_missing: false });
  });

  it('an alias (model_group_alias) routes to its group, hidden or not, and /v1/models lists what the wildcard reaches', async () => {
    for (const alias of ['friendly', 'secret-alias']) {
      const { response } = await client.chat.completions.create({ model: alias, messages: [{ role: 'user', content: `alias ${alias}` }] }).withResponse();
      expect(response.headers.get('x-litellm-model-group')).toBe('target');
      expect(response.headers.get('x-litellm-model-id')).toBe('target-ok');
    }
    const ids = (await client.models.list()).data.map((model) => model.id);
    expect(ids).toEqual(expect.arrayContaining(['untagged', 'target', 'friendly', 'gpt-4o', 'gpt-4o-mini', 'o3']));
    expect(ids).not.toContain('secret-alias');
    expect(ids).not.toContain('*');
    expect(((await get('/v1/models?return_wildcard_routes=True')).data as Array<{ id: string }>).map((model) => model.id)).toContain('*');
    expect(await get('/models?only_model_access_groups=True')).toMatchObject({ data: [expect.objectContaining({ id: 'beta-models' })] });
    const refused = await fetch(`${system.baseUrl}/v1/models?team_id=t1`, { headers: { authorization: `Bearer ${system.masterKey}` } });
    expect(refused.status).toBe(400);
  });

  it('checks key access on the concrete model: aliases resolved, wildcard matches by the name they matched, each client fallback too', async () => {
    const targetOnly = (await manage(system, '/key/generate', { models: ['target'] })).key as string;
    const keyClient = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: targetOnly, maxRetries: 0 });
    await expect(keyClient.chat.completions.create({ model: 'friendly', messages: [{ role: 'user', content: 'x' }] })).resolves.toBeTruthy();
    await expect(keyClient.chat.completions.create({ model: 'anything-9', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ status: 401 });
    await expect(keyClient.chat.completions.create({ model: 'target', messages: [{ role: 'user', content: 'x' }], ...({ fallbacks: ['untagged'] } as object) })).rejects.toMatchObject({
      status: 401,
      message: expect.stringContaining('key not allowed to access model'),
    });
    const wildKey = (await manage(system, '/key/generate', { models: ['anything-*'] })).key as string;
    const wildClient = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: wildKey, maxRetries: 0 });
    await expect(wildClient.chat.completions.create({ model: 'anything-42', messages: [{ role: 'user', content: 'x' }] })).resolves.toBeTruthy();
    await expect(wildClient.chat.completions.create({ model: 'other-42', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ status: 401 });
    const listed = (await wildClient.models.list()).data.map((model) => model.id);
    expect(listed).toEqual([]);
  });

  it("sends the deployment's default parameters when the request leaves them out, and the request's own when it sets them", async () => {
    await client.chat.completions.create({ model: 'defaults', messages: [{ role: 'user', content: 'no temperature' }] });
    await client.chat.completions.create({ model: 'defaults', messages: [{ role: 'user', content: 'own temperature' }], temperature: 1, max_tokens: 5 });
    expect(json(upstreamCalls(upstream, 'no temperature')[0])).toMatchObject({ temperature: 0.3, max_tokens: 77 });
    expect(json(upstreamCalls(upstream, 'own temperature')[0])).toMatchObject({ temperature: 1, max_tokens: 5 });
  });

  it('takes credentials from credential_list, the key from litellm_key_header_name, and forwards x- headers upstream', async () => {
    const response = await fetch(`${system.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'x-litellm-key': `Bearer ${system.masterKey}`, 'content-type': 'application/json', 'x-trace-tenant': 'tenant-7', 'x-litellm-tags': 'hidden' },
      body: JSON.stringify({ model: 'from-credential', messages: [{ role: 'user', content: 'custom header' }] }),
    });
    expect(response.status).toBe(200);
    const [call] = upstreamCalls(upstream, 'custom header');
    expect(call.headers['x-trace-tenant']).toBe('tenant-7');
    expect(call.headers['x-litellm-tags']).toBeUndefined();
    expect(call.headers['x-litellm-key']).toBeUndefined();
    expect(call.headers.authorization).toBe(`Bearer ${upstreamKey}`);
  });

  it('serves the legacy /v1/completions API, whole and streamed with include_usage', async () => {
    const completion = await client.completions.create({ model: 'target', prompt: 'legacy prompt', max_tokens: 20 });
    expect(completion.object).toBe('text_completion');
    expect(completion.choices[0].text).toBeTruthy();
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
    expect(json(upstreamCalls(upstream, 'legacy prompt')[0]).messages).toEqual([{ role: 'user', content: 'legacy prompt' }]);
    const stream = await client.completions.create({ model: 'target', prompt: 'legacy stream', stream: true, stream_options: { include_usage: true } });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((chunk) => chunk.object === 'text_completion')).toBe(true);
    expect(chunks.map((chunk) => chunk.choices[0]?.text ?? '').join('')).toBeTruthy();
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 11, completion_tokens: 7 } });
    const echo = await post('/v1/completions', { model: 'target', prompt: 'x', echo: true });
    expect(echo.status).toBe(400);
    expect((await echo.json()) as object).toMatchObject({ error: { param: 'echo' } });
  });

  it('serves Azure-style deployment routes to the AzureOpenAI client (api-key header) and the engines route', async () => {
    const azure = new AzureOpenAI({ endpoint: system.baseUrl, apiKey: system.masterKey, apiVersion: '2024-10-21', deployment: 'target', maxRetries: 0 });
    const chat = await azure.chat.completions.create({ model: '', messages: [{ role: 'user', content: 'azure chat' }] });
    expect(chat.choices[0].message.content).toBeTruthy();
    expect(json(upstreamCalls(upstream, 'azure chat')[0]).model).toBe('ok');
    const embeddings = new AzureOpenAI({ endpoint: system.baseUrl, apiKey: system.masterKey, apiVersion: '2024-10-21', deployment: 'fake-embedding', maxRetries: 0 });
    const vectors = await embeddings.embeddings.create({ model: '', input: ['a', 'b'] });
    expect(vectors.data).toHaveLength(2);
    const engines = await post('/engines/target/chat/completions', { messages: [{ role: 'user', content: 'engines' }] });
    expect(engines.status).toBe(200);
    expect(upstreamCalls(upstream, 'engines')).toHaveLength(1);
  });

  it('answers model: "a,b" with the list of both completions (batch completion)', async () => {
    const response = await post('/v1/chat/completions', { model: 'target,untagged', messages: [{ role: 'user', content: 'batch' }] });
    expect(response.status).toBe(200);
    const answers = (await response.json()) as Array<{ object: string; choices: unknown[] }>;
    expect(answers).toHaveLength(2);
    expect(answers.every((answer) => answer.object === 'chat.completion' && answer.choices.length === 1)).toBe(true);
    expect(upstreamCalls(upstream, 'batch')).toHaveLength(2);
    const streamed = await post('/v1/chat/completions', { model: 'target,untagged', stream: true, messages: [{ role: 'user', content: 'x' }] });
    expect(streamed.status).toBe(400);
  });

  it('serves its OpenAPI 3.1 document and Swagger UI without a key', async () => {
    const openApi = await fetch(`${system.baseUrl}/openapi.json`);
    expect(openApi.status).toBe(200);
    const document = (await openApi.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(document.openapi).toBe('3.1.0');
    for (const [method, path] of [['post', '/v1/chat/completions'], ['post', '/v1/completions'], ['post', '/openai/deployments/{model}/embeddings'], ['get', '/model_group/info'], ['post', '/utils/token_counter'], ['post', '/key/generate']]) {
      expect(document.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
    const page = await fetch(`${system.baseUrl}/docs`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('swagger-ui-bundle.js');
    const bundle = await fetch(`${system.baseUrl}/docs/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    const root = await fetch(`${system.baseUrl}/`, { redirect: 'manual' });
    expect(root.headers.get('location')).toBe('/docs');
  });

  it('background_health_checks: probes every deployment without anyone calling /health, and /health answers from that round', async () => {
    const probes = () => upstream.requests.filter((request) => (request.json as { messages?: Array<{ content?: unknown }> } | undefined)?.messages?.[0]?.content === 'ping').length;
    for (const deadline = Date.now() + 10_000; probes() < 5 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 100));
    const before = probes();
    expect(before).toBeGreaterThanOrEqual(5);
    const report = await get('/health');
    expect(report).toMatchObject({ healthy_count: expect.any(Number) });
    expect(probes()).toBe(before);
  });

  it('max_end_user_budget: an end user with no budget of its own is refused once over it', async () => {
    const ask = () => client.chat.completions.create({ model: 'priced', user: 'thrifty-user', messages: [{ role: 'user', content: 'x' }] });
    await expect(ask()).resolves.toBeTruthy();
    let refused: unknown;
    for (let attempt = 0; attempt < 20 && !refused; attempt += 1) {
      refused = await ask().then(() => undefined, (error: unknown) => error);
      if (!refused) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
    expect((refused as InstanceType<typeof OpenAI.BadRequestError>).type).toBe('budget_exceeded');
  });

  it('redact_user_api_key_info: callbacks get no key alias, user or team', async () => {
    const key = (await manage(system, '/key/generate', { key_alias: 'secret-alias-key' })).key as string;
    const keyClient = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: key, maxRetries: 0 });
    const { response } = await keyClient.chat.completions.create({ model: 'target', messages: [{ role: 'user', content: 'redacted' }] }).withResponse();
    const requestId = response.headers.get('x-request-id') ?? '';
    let delivered: Array<Record<string, unknown>> = [];
    for (const deadline = Date.now() + 10_000; delivered.length === 0 && Date.now() < deadline; ) {
      delivered = webhook.requests.flatMap((request) => (Array.isArray(request.json) ? (request.json as Array<Record<string, unknown>>) : [])).filter((payload) => JSON.stringify(payload).includes(requestId));
      if (delivered.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(delivered).toHaveLength(1);
    expect(JSON.stringify(delivered[0])).not.toContain('secret-alias-key');
  });

  it("default_team_settings: a team's configured callback gets its keys' usage events", async () => {
    await manage(system, '/team/new', { team_id: 'config-team', team_alias: 'config team' });
    const key = (await manage(system, '/key/generate', { team_id: 'config-team' })).key as string;
    const teamClient = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: key, maxRetries: 0 });
    const { response } = await teamClient.chat.completions.create({ model: 'target', messages: [{ role: 'user', content: 'team callback' }] }).withResponse();
    const requestId = response.headers.get('x-request-id') ?? '';
    const deliveredToTeam = () => webhook.requests.filter((request) => request.url === '/team-hook' && request.body.includes(requestId));
    for (const deadline = Date.now() + 15_000; deliveredToTeam().length === 0 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(deliveredToTeam()).toHaveLength(1);
  });

  it("refuses LiteLLM request headers it cannot honour, naming them", async () => {
    const response = await post('/v1/chat/completions', { model: 'target', messages: [{ role: 'user', content: 'x' }] }, { 'x-litellm-spend-logs-metadata': '{"a":1}' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { param: 'x-litellm-spend-logs-metadata' } });
  });

  it('describes model groups (/model_group/info, /v2/model/info) and counts tokens (/utils/token_counter)', async () => {
    const groups = (await get('/model_group/info?model_group=target')).data as Array<Record<string, unknown>>;
    expect(groups).toEqual([expect.objectContaining({ model_group: 'target', providers: ['openai'], max_input_tokens: 1000, rpm: 60, access_groups: ['beta-models'], mode: 'chat' })]);
    const page = await get('/v2/model/info?size=2&page=1');
    expect(page).toMatchObject({ current_page: 1, size: 2, total_count: expect.any(Number) });
    expect((page.data as unknown[]).length).toBe(2);
    const filtered = await get('/v2/model/info?model=target');
    expect(filtered.data).toEqual([expect.objectContaining({ model_name: 'target', litellm_params: expect.objectContaining({ api_key: '*****' }) })]);
    const counted = await post('/utils/token_counter', { model: 'target', messages: [{ role: 'user', content: 'hello there, how are you?' }] });
    expect(await counted.json()).toMatchObject({ total_tokens: expect.any(Number), request_model: 'target', model_used: 'ok' });
  });
});

describe('LiteLLM configs: tag filtering and general settings', () => {
  let isolation: Isolation;
  let upstream: FakeServer;
  let system: RunningSystem;
  let client: OpenAI;

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startFakeOpenAiUpstream();
    const deployment = (name: string, model: string, id: string, tags: string) => `  - model_name: ${name}
    litellm_params: { model: openai/${model}, api_base: ${upstream.url}/v1, api_key: ${upstreamKey}${tags ? `, tags: [${tags}]` : ''} }
    model_info: { id: ${id} }`;
    system = await startSystem({
      isolation,
      config: `model_list:
${deployment('tiered', 'ok', 'paid-one', 'paid')}
${deployment('tiered', 'ok', 'free-one', 'free')}
${deployment('tiered', 'ok', 'default-one', 'default')}
${deployment('strict', 'ok', 'strict-free', 'free')}
${deployment('slow', 'slow-ok', 'slow-one', '')}
router_settings: { enable_tag_filtering: true }
general_settings:
  enforce_user_param: true
  allowed_ips: ['127.0.0.1', '::1', '10.1.0.0/16']
  use_x_forwarded_for: true
  global_max_parallel_requests: 1
  allow_requests_on_db_unavailable: true
`,
      workers: [{ providers: 'openai' }],
    });
    client = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: system.masterKey, maxRetries: 0 });
  });

  afterAll(async () => {
    await system?.stop();
    await upstream?.close();
    await isolation?.cleanup();
  });

  it('with enable_tag_filtering, 20 paid requests reach only the paid deployment; untagged ones the default one', async () => {
    const paid = new Set<string | null>();
    for (let index = 0; index < 20; index += 1) {
      const { response } = await client.chat.completions.create({ model: 'tiered', user: 'u1', messages: [{ role: 'user', content: 'x' }] }, { headers: { 'x-litellm-tags': 'paid' } }).withResponse();
      paid.add(response.headers.get('x-litellm-model-id'));
    }
    expect([...paid]).toEqual(['paid-one']);
    const untagged = new Set<string | null>();
    for (let index = 0; index < 5; index += 1) {
      const { response } = await client.chat.completions.create({ model: 'tiered', user: 'u1', messages: [{ role: 'user', content: 'x' }] }).withResponse();
      untagged.add(response.headers.get('x-litellm-model-id'));
    }
    expect([...untagged]).toEqual(['default-one']);
  });

  it('answers an unknown model with LiteLLM\'s 400 (where no wildcard group catches it)', async () => {
    const error = await client.chat.completions.create({ model: 'no-such-model-here', user: 'u1', messages: [{ role: 'user', content: 'x' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).message).toContain('Invalid model name passed in model=no-such-model-here');
  });

  it("refuses a tag no deployment of the group has, with LiteLLM's error", async () => {
    const error = await client.chat.completions.create({ model: 'strict', user: 'u1', messages: [{ role: 'user', content: 'x' }], ...({ tags: ['paid'] } as object) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as Error).message).toContain("Not allowed to access model due to tags configuration. Passed model=strict and tags=['paid']");
  });

  it('enforce_user_param: a request without user is 400 naming it', async () => {
    const error = await client.chat.completions.create({ model: 'tiered', messages: [{ role: 'user', content: 'x' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('user');
  });

  it('allowed_ips: a client outside the list (X-Forwarded-For with use_x_forwarded_for) gets 403', async () => {
    const outside = await client.chat.completions.create({ model: 'tiered', user: 'u1', messages: [{ role: 'user', content: 'x' }] }, { headers: { 'x-forwarded-for': '192.168.7.7' } }).catch((caught: unknown) => caught);
    expect(outside).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((outside as Error).message).toContain('Access forbidden: IP address 192.168.7.7 not allowed.');
    await expect(client.chat.completions.create({ model: 'tiered', user: 'u1', messages: [{ role: 'user', content: 'x' }] }, { headers: { 'x-forwarded-for': '10.1.2.3' } })).resolves.toBeTruthy();
  });

  it('global_max_parallel_requests: a second request while one is in flight gets 429', async () => {
    const first = client.chat.completions.create({ model: 'slow', user: 'u1', messages: [{ role: 'user', content: 'x' }] });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = await client.chat.completions.create({ model: 'slow', user: 'u1', messages: [{ role: 'user', content: 'x' }] }).catch((caught: unknown) => caught);
    expect(second).toBeInstanceOf(OpenAI.RateLimitError);
    await expect(first).resolves.toBeTruthy();
    await expect(client.chat.completions.create({ model: 'slow', user: 'u1', messages: [{ role: 'user', content: 'x' }] })).resolves.toBeTruthy();
  });

  it('allow_requests_on_db_unavailable: with the auth service down, an unverifiable key is let through; readiness stays up', async () => {
    await system.auth?.stop();
    const unverified = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: 'sk-never-issued-but-inside-the-vpc', maxRetries: 0 });
    await expect(unverified.chat.completions.create({ model: 'tiered', user: 'u1', messages: [{ role: 'user', content: 'x' }] })).resolves.toBeTruthy();
    expect((await fetch(`${system.baseUrl}/health/readiness`)).status).toBe(200);
  });
});

describe('LiteLLM configs: a config Switchboard cannot honour does not start', () => {
  let isolation: Isolation;

  beforeAll(async () => {
    isolation = await createIsolation();
  });

  afterAll(async () => {
    await isolation?.cleanup();
  });

  it.each([
    ['an unsupported cache backend', 'litellm_settings:\n  cache: true\n  cache_params: { type: s3 }\n', "litellm_settings.cache_params.type: 's3' is not supported"],
    ['a guardrail vendor', 'guardrails:\n  - guardrail_name: pii-mask\n    litellm_params: { guardrail: presidio, mode: pre_call }\n', 'guardrails is not supported'],
    ['Slack alerting', "general_settings:\n  alerting: ['slack']\n", "general_settings.alerting: alerting 'slack' not supported"],
  ])('refuses %s at start, naming the key', async (_name, extra, message) => {
    const directory = mkdtempSync(join(tmpdir(), 'switchboard-refused-'));
    const path = join(directory, 'config.yaml');
    writeFileSync(path, `model_list:\n  - model_name: mock-gpt\n    litellm_params: { model: mock/mock-gpt }\n${extra}`);
    const gateway = startApp('gateway', 'refused-gateway', { ...isolation.environment, SWITCHBOARD_CONFIG: path, PORT: '0', METRICS_PORT: '0', MASTER_KEY: 'sk-refused' });
    const code = await gateway.waitForExit();
    expect(code).toBe(1);
    expect(gateway.logs()).toContain(message);
  });
});
