import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation, sendJson, startFakeOpenAiUpstream, startFakeServer, startSystem } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';

describe('logging callbacks', () => {
  let isolation: Isolation;
  let upstream: FakeServer;
  let webhook: FakeServer;
  let langfuse: FakeServer;
  let collector: FakeServer;
  let bucket: FakeServer;
  let system: RunningSystem;
  let webhookUp = false;

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startFakeOpenAiUpstream();
    webhook = await startFakeServer((_request, response) => sendJson(response, webhookUp ? 200 : 503, {}));
    langfuse = await startFakeServer((_request, response) => sendJson(response, 207, { successes: [], errors: [] }));
    collector = await startFakeServer((_request, response) => sendJson(response, 200, {}));
    bucket = await startFakeServer((_request, response) => {
      response.writeHead(200);
      response.end();
    });
    system = await startSystem({
      isolation,
      config: `model_list:\n  - model_name: ok\n    litellm_params:\n      model: openai/ok\n      api_base: ${upstream.url}/v1\n      api_key: sk-up\nlitellm_settings:\n  success_callback: ["webhook", "langfuse", "s3"]\n  failure_callback: ["webhook"]\n  callbacks: ["otel", "prometheus"]\n`,
      workers: [{ providers: 'openai' }],
      logging: {
        GENERIC_LOGGER_ENDPOINT: `${webhook.url}/hook`,
        GENERIC_LOGGER_HEADERS: 'x-hook-token=hook-secret',
        LANGFUSE_HOST: langfuse.url,
        LANGFUSE_PUBLIC_KEY: 'pk-lf-test',
        LANGFUSE_SECRET_KEY: 'sk-lf-test',
        CALLBACK_FLUSH_MS: '1000',
        // Retries within the test's patience: a 3 s backoff (the ack wait must cover flush + timeout).
        CALLBACK_TIMEOUT_MS: '2000',
        CALLBACK_BACKOFF_SECONDS: '3',
        OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: collector.url,
        S3_CALLBACK_BUCKET: 'usage-logs',
        S3_CALLBACK_ENDPOINT: bucket.url,
        S3_CALLBACK_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE12',
        AWS_SECRET_ACCESS_KEY: 'secret-example',
      },
    });
  });

  afterAll(async () => {
    await system?.stop();
    await Promise.all([upstream?.close(), webhook?.close(), langfuse?.close(), collector?.close(), bucket?.close()]);
    await isolation?.cleanup();
  });

  it('a webhook that is down loses nothing that was accepted and does not slow requests', async () => {
    const client = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: system.masterKey, maxRetries: 0 });
    const ids: string[] = [];
    const started = Date.now();
    for (let index = 0; index < 10; index += 1) {
      const { response } = await client.chat.completions.create({ model: 'ok', messages: [{ role: 'user', content: 'x' }] }).withResponse();
      ids.push(response.headers.get('x-request-id') ?? '');
    }
    expect(Date.now() - started).toBeLessThan(2_000);
    // The webhook refuses for a while, then comes back.
    const refusedUntil = Date.now() + 5_000;
    while (webhook.requests.length < 2 && Date.now() < refusedUntil) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(webhook.requests.length).toBeGreaterThanOrEqual(2);
    webhookUp = true;
    const deadline = Date.now() + 15_000;
    const delivered = () =>
      new Set(
        webhook.requests
          .flatMap((request) => (request.json as Array<{ id: string }>) ?? [])
          .map((payload) => payload.id),
      );
    while (ids.some((id) => !delivered().has(id)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ids.every((id) => delivered().has(id))).toBe(true);
    const last = webhook.requests.at(-1);
    expect(last?.headers['x-hook-token']).toBe('hook-secret');
    expect((last?.json as Array<Record<string, unknown>>)[0]).toMatchObject({ call_type: 'completion', status: 'success', model_group: 'ok', prompt_tokens: 11 });
  });

  it('sends traces and generations to Langfuse with the project keys', async () => {
    const deadline = Date.now() + 10_000;
    while (langfuse.requests.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const sent = langfuse.requests[0];
    expect(sent.url).toBe('/api/public/ingestion');
    expect(sent.headers.authorization).toBe(`Basic ${Buffer.from('pk-lf-test:sk-lf-test').toString('base64')}`);
    const batch = (sent.json as { batch: Array<{ type: string; body: Record<string, unknown> }> }).batch;
    expect(batch.map((item) => item.type)).toContain('generation-create');
    expect(batch.find((item) => item.type === 'generation-create')?.body).toMatchObject({ model: 'ok', usage: { input: 11, output: 7, total: 18 } });
  });

  it('writes JSONL batches to an S3-compatible bucket with SigV4, and OpenTelemetry log records', async () => {
    const deadline = Date.now() + 10_000;
    while ((bucket.requests.length === 0 || collector.requests.length === 0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const put = bucket.requests[0];
    expect(put.method).toBe('PUT');
    expect(put.url).toMatch(/^\/usage-logs\/switchboard\/\d{4}-\d{2}-\d{2}\/.+\.jsonl$/);
    expect(put.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEEXAMPLE12\/\d{8}\/eu-west-1\/s3\/aws4_request/);
    expect(put.body.trim().split('\n').map((line) => JSON.parse(line) as { model_group: string })[0].model_group).toBe('ok');
    const logs = collector.requests[0];
    expect(logs.url).toBe('/v1/logs');
    const records = (logs.json as { resourceLogs: Array<{ scopeLogs: Array<{ logRecords: Array<{ severityText: string }> }> }> }).resourceLogs[0].scopeLogs[0].logRecords;
    expect(records[0].severityText).toBe('INFO');
  });
});
