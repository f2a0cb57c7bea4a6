import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation, fakeAnswer, startFakeOpenAiUpstream, startSystem, waitForUsageEvent } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';

const upstreamKey = 'sk-upstream-routing';

function routingConfig(upstream: string): string {
  const deployment = (name: string, model: string, extra = '') => `  - model_name: ${name}
    litellm_params:
      model: openai/${model}
      api_base: ${upstream}/v1
      api_key: ${upstreamKey}
${extra}`;
  return `model_list:
${deployment('backup', 'ok', '    model_info: { id: backup-ok }')}
${deployment('primary-fails', 'status-503', '    model_info: { id: primary-503 }')}
${deployment('cut-after-output', 'cut-stream')}
${deployment('limited', 'status-429', '    model_info: { id: limited-a }')}
${deployment('limited', 'status-429', '    model_info: { id: limited-b }')}
${deployment('flaky', 'status-500', '    model_info: { id: flaky-bad }')}
${deployment('flaky', 'ok', '    model_info: { id: flaky-good }')}
${deployment('small', 'ok', '    model_info: { id: small-ok, max_input_tokens: 50 }')}
${deployment('total-timeout', 'hang', '      timeout: 1')}
${deployment('first-token-timeout', 'headers-then-silence', '      stream_timeout: 1')}
${deployment('idle-timeout', 'slow-stream', '      stream_timeout: 1')}
router_settings:
  num_retries: 0
  allowed_fails: 1
  cooldown_time: 3
  fallbacks: [{ "primary-fails": ["backup"] }, { "cut-after-output": ["backup"] }]
  context_window_fallbacks: [{ "small": ["backup"] }]
`;
}

describe('routing and resilience through the running system', () => {
  let isolation: Isolation;
  let upstream: FakeServer;
  let system: RunningSystem;
  let client: OpenAI;
  const callsFor = (model: string) => upstream.requests.filter((request) => (request.json as { model?: string } | undefined)?.model === model).length;

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startFakeOpenAiUpstream();
    system = await startSystem({
      isolation,
      config: routingConfig(upstream.url),
      workers: [{ providers: 'openai' }],
      gatewayEnvironment: { HEALTH_CHECK_TIMEOUT_SECONDS: '1.5' },
    });
    client = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: system.masterKey, maxRetries: 0 });
  });

  afterAll(async () => {
    await system?.stop();
    await upstream?.close();
    await isolation?.cleanup();
  });

  it('falls back before the first byte: the client gets one clean stream from the fallback', async () => {
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'primary-fails', stream: true, messages: [{ role: 'user', content: 'x' }] })
      .withResponse();
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.filter((chunk) => chunk.choices[0]?.delta.role === 'assistant')).toHaveLength(1);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(fakeAnswer.join(''));
    expect(response.headers.get('x-litellm-attempted-fallbacks')).toBe('1');
    expect(response.headers.get('x-litellm-model-id')).toBe('backup-ok');
    const event = await waitForUsageEvent(isolation, response.headers.get('x-request-id') ?? '');
    expect(event).toMatchObject({ status: 'success', modelGroup: 'backup', attempt: 2 });
  });

  it('never retries after output: one error event, no duplicated content, exactly one upstream call', async () => {
    const before = callsFor('cut-stream');
    const backupBefore = callsFor('ok');
    const response = await fetch(`${system.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${system.masterKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'cut-after-output', stream: true, messages: [{ role: 'user', content: 'x' }] }),
    });
    const text = await response.text();
    expect(text.match(/"error"/g)).toHaveLength(1);
    expect(text.match(/"content":"Hello"/g)).toHaveLength(1);
    expect(text).not.toContain('[DONE]');
    expect(callsFor('cut-stream') - before).toBe(1);
    expect(callsFor('ok') - backupBefore).toBe(0);
  });

  it('all-429 upstreams: attempts stay within 1 + num_retries and the client gets retry-after at once', async () => {
    const before = callsFor('status-429');
    const response = await fetch(`${system.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${system.masterKey}`, 'content-type': 'application/json', 'x-litellm-num-retries': '2' },
      body: JSON.stringify({ model: 'limited', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(callsFor('status-429') - before).toBeLessThanOrEqual(3);
    // Both deployments now rest for their retry-after (7 s): a new request is refused without calling them.
    const during = callsFor('status-429');
    const started = Date.now();
    const again = await fetch(`${system.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${system.masterKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'limited', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(again.status).toBe(429);
    expect(Date.now() - started).toBeLessThan(500);
    expect(callsFor('status-429')).toBe(during);
  });

  it('a failing deployment rests, gets no traffic, and a second gateway instance sees the cooldown', async () => {
    const first = await fetch(`${system.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${system.masterKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'flaky', num_retries: 3, messages: [{ role: 'user', content: 'x' }] }),
    });
    // Whichever deployment was tried first, the request ends on the good one.
    expect(first.status).toBe(200);
    // Make sure the bad one has failed once (allowed_fails: 1) and is resting.
    const second = await system.startGateway();
    const secondClient = new OpenAI({ baseURL: `${second.baseUrl}/v1`, apiKey: system.masterKey, maxRetries: 0 });
    // A fresh failure now, with the second instance listening: its cooldown (3 s) starts here, so a
    // slow start of the second instance cannot have used up the window of an earlier one.
    const failuresBefore = callsFor('status-500');
    const deadline = Date.now() + 10_000;
    while (callsFor('status-500') === failuresBefore && Date.now() < deadline) {
      await client.chat.completions.create({ model: 'flaky', messages: [{ role: 'user', content: 'x' }] }).catch(() => undefined);
      if (callsFor('status-500') === failuresBefore) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const badCalls = callsFor('status-500');
    expect(badCalls).toBeGreaterThan(failuresBefore);
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (let index = 0; index < 10; index += 1) {
      const { response } = await secondClient.chat.completions.create({ model: 'flaky', messages: [{ role: 'user', content: 'x' }] }).withResponse();
      expect(response.headers.get('x-litellm-model-id')).toBe('flaky-good');
    }
    expect(callsFor('status-500')).toBe(badCalls);
    // After the cooldown (3 s) the deployment gets traffic again.
    await new Promise((resolve) => setTimeout(resolve, 3_200));
    for (let index = 0; index < 20 && callsFor('status-500') === badCalls; index += 1) {
      await secondClient.chat.completions.create({ model: 'flaky', messages: [{ role: 'user', content: 'x' }] }).catch(() => undefined);
    }
    expect(callsFor('status-500')).toBeGreaterThan(badCalls);
    await second.process.stop();
  });

  it('a prompt too long for the model goes to the context-window fallback without calling it', async () => {
    const before = upstream.requests.length;
    const { response } = await client.chat.completions
      .create({ model: 'small', messages: [{ role: 'user', content: 'word '.repeat(400) }] })
      .withResponse();
    expect(response.headers.get('x-litellm-model-id')).toBe('backup-ok');
    expect(upstream.requests.length - before).toBe(1);
  });

  it.each([
    ['total-timeout', false, 1_000],
    ['first-token-timeout', true, 1_000],
    ['idle-timeout', true, 1_000],
  ])('%s fires within its setting + 1 s and closes the upstream socket', async (model, stream, settingMs) => {
    const closesBefore = upstream.socketCloses.length;
    const started = Date.now();
    const response = await fetch(`${system.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${system.masterKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'x' }] }),
    });
    const text = await response.text();
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(settingMs + 1_000);
    if (model === 'idle-timeout') {
      expect(response.status).toBe(200);
      expect(text).toContain('"code":"upstream_timeout"');
    } else {
      expect(response.status).toBe(504);
    }
    const deadline = Date.now() + 1_000;
    while (upstream.socketCloses.length === closesBefore && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(upstream.socketCloses.length).toBeGreaterThan(closesBefore);
  });

  it('GET /health probes every deployment and reports the unhealthy ones', async () => {
    const response = await fetch(`${system.baseUrl}/health`, { headers: { authorization: `Bearer ${system.masterKey}` } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { healthy_endpoints: Array<{ model_id: string }>; unhealthy_endpoints: Array<{ model_id: string; error: string }> };
    expect(body.healthy_endpoints.map((endpoint) => endpoint.model_id)).toContain('backup-ok');
    expect(body.unhealthy_endpoints.map((endpoint) => endpoint.model_id)).toContain('primary-503');
    expect(JSON.stringify(body)).not.toContain(upstreamKey);
    const unauthenticated = await fetch(`${system.baseUrl}/health`);
    expect(unauthenticated.status).toBe(401);
  });
});
