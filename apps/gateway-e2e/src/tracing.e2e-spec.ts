import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwitchboardNatsClient, SwitchboardNatsError } from '@switchboard/sdk';
import { createIsolation, startFakeOpenAiUpstream, startFakeServer, startSystem } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  traceState?: string;
  name: string;
  kind: number;
  status?: { code?: number };
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
}

const canary = 'sk-canary-trace-5c1d7e9a';
/** A prompt no span may carry. */
const promptCanary = 'prompt-canary-91d2e7f4';
const spanKindServer = 2;
const spanStatusError = 2;

function spansOf(collector: FakeServer): Array<OtlpSpan & { service: string }> {
  const spans: Array<OtlpSpan & { service: string }> = [];
  for (const request of collector.requests) {
    const body = request.json as { resourceSpans?: Array<{ resource: { attributes: OtlpSpan['attributes'] }; scopeSpans: Array<{ spans: OtlpSpan[] }> }> };
    for (const resourceSpans of body.resourceSpans ?? []) {
      const service = String(resourceSpans.resource.attributes.find((attribute) => attribute.key === 'service.name')?.value.stringValue);
      for (const scope of resourceSpans.scopeSpans) for (const span of scope.spans) spans.push({ ...span, service });
    }
  }
  return spans;
}

function attribute(span: OtlpSpan, key: string): unknown {
  const value = span.attributes.find((candidate) => candidate.key === key)?.value;
  return value ? (value.stringValue ?? value.intValue ?? value.boolValue ?? value.doubleValue ?? value.arrayValue) : undefined;
}

describe('one trace across the bus', () => {
  let isolation: Isolation;
  let upstream: FakeServer;
  let collector: FakeServer;
  let system: RunningSystem;
  let connection: NatsConnection;
  let nats: SwitchboardNatsClient;
  const subject = (name: string) => `${isolation.subjectPrefix}.api.cmd.${name}.v1`;
  /** The spans of one trace, once `services` services have exported theirs (or after 10 s). */
  const traceOf = async (traceId: string, services: number) => {
    const deadline = Date.now() + 10_000;
    let trace: ReturnType<typeof spansOf> = [];
    while (Date.now() < deadline) {
      trace = spansOf(collector).filter((span) => span.traceId === traceId);
      if (new Set(trace.map((span) => span.service)).size >= services) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return trace;
  };
  /** The gateway's spans for one NATS subject, once `count` of them were exported (or after 10 s). */
  const gatewaySpansOn = async (name: string, count: number) => {
    const deadline = Date.now() + 10_000;
    let spans: ReturnType<typeof spansOf> = [];
    while (Date.now() < deadline) {
      spans = spansOf(collector).filter((span) => span.service === 'switchboard-gateway' && attribute(span, 'messaging.destination.name') === subject(name));
      if (spans.length >= count) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return spans;
  };

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startFakeOpenAiUpstream();
    collector = await startFakeServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
    const model = (name: string, upstreamModel: string) =>
      `  - model_name: ${name}\n    litellm_params:\n      model: openai/${upstreamModel}\n      api_base: ${upstream.url}/v1\n      api_key: ${canary}\n`;
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: '100' };
    system = await startSystem({
      isolation,
      config: `model_list:\n${model('traced', 'ok')}${model('traced-embedding', 'text-embedding-3-small')}${model('traced-429', 'status-429')}`,
      masterKey: 'sk-trace-master',
      workers: [{ providers: 'openai', environment: otel }],
      gatewayEnvironment: otel,
      budget: true,
      budgetEnvironment: otel,
    });
    connection = await connect({ servers: isolation.urls.natsUrl });
    nats = new SwitchboardNatsClient(connection, { apiKey: system.masterKey, prefix: isolation.subjectPrefix });
  });

  afterAll(async () => {
    await connection?.close();
    await system?.stop();
    await upstream?.close();
    await collector?.close();
    await isolation?.cleanup();
  });

  it('connects the gateway, the worker and the usage consumer for a streamed request, with GenAI attributes', async () => {
    const client = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: system.masterKey, maxRetries: 0 });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const stream = await client.chat.completions.create(
      { model: 'traced', stream: true, temperature: 0.3, messages: [{ role: 'user', content: 'x' }] },
      { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } },
    );
    for await (const _chunk of stream) {
      // drain
    }
    const trace = await traceOf(traceId, 3);
    const gateway = trace.find((span) => span.service === 'switchboard-gateway');
    const worker = trace.find((span) => span.service === 'switchboard-worker');
    const budget = trace.find((span) => span.service === 'switchboard-budget');
    expect(gateway && worker && budget).toBeTruthy();
    expect(gateway?.parentSpanId).toBe('00f067aa0ba902b7');
    expect(worker?.parentSpanId).toBe(gateway?.spanId);
    expect(budget?.parentSpanId).toBe(worker?.spanId);
    expect(attribute(gateway!, 'gen_ai.operation.name')).toBe('chat');
    expect(attribute(gateway!, 'gen_ai.request.temperature')).toBe(0.3);
    expect(attribute(worker!, 'gen_ai.provider.name')).toBe('openai');
    expect(attribute(worker!, 'gen_ai.request.model')).toBe('ok');
    expect(attribute(worker!, 'gen_ai.response.model')).toBe('ok-2024-01-01');
    expect(Number(attribute(worker!, 'gen_ai.usage.input_tokens'))).toBe(11);
    expect(Number(attribute(worker!, 'gen_ai.usage.output_tokens'))).toBe(7);
    const exported = collector.requests.map((request) => request.body).join('');
    expect(exported).not.toContain(canary);
    expect(exported).not.toContain(system.masterKey);
  });

  it('connects the caller, the gateway, the worker and the usage consumer for a streamed chat over the NATS API', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const stream = await nats.chat.completions.create(
      { model: 'traced', stream: true, temperature: 0.3, messages: [{ role: 'user', content: promptCanary }] },
      { headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01`, tracestate: 'caller=nats-e2e' } },
    );
    let chunks = 0;
    for await (const _chunk of stream) chunks += 1;
    expect(chunks).toBeGreaterThan(0);
    const trace = await traceOf(traceId, 3);
    const gateway = trace.filter((span) => span.service === 'switchboard-gateway');
    const worker = trace.find((span) => span.service === 'switchboard-worker');
    const budget = trace.find((span) => span.service === 'switchboard-budget');
    // One gateway span, child of the caller's span; the worker's upstream span is its child; the ledger's, the worker's.
    expect(gateway).toHaveLength(1);
    expect(worker && budget).toBeTruthy();
    expect(gateway[0].parentSpanId).toBe('b7ad6b7169203331');
    expect(gateway[0].kind).toBe(spanKindServer);
    expect(worker?.parentSpanId).toBe(gateway[0].spanId);
    expect(budget?.parentSpanId).toBe(worker?.spanId);
    // The caller's tracestate travels on to the worker.
    expect(gateway[0].traceState).toBe('caller=nats-e2e');
    expect(worker?.traceState).toBe('caller=nats-e2e');
    expect(attribute(gateway[0], 'gen_ai.operation.name')).toBe('chat');
    expect(attribute(gateway[0], 'gen_ai.request.model')).toBe('traced');
    expect(attribute(gateway[0], 'gen_ai.request.temperature')).toBe(0.3);
    expect(attribute(gateway[0], 'gen_ai.provider.name')).toBe('openai');
    expect(attribute(gateway[0], 'switchboard.stream')).toBe(true);
    expect(attribute(gateway[0], 'messaging.system')).toBe('nats');
    expect(attribute(gateway[0], 'messaging.destination.name')).toBe(subject('chat_completions'));
    expect(Number(attribute(gateway[0], 'http.response.status_code'))).toBe(200);
    expect(String(attribute(gateway[0], 'switchboard.request_id'))).toMatch(/\S/);
    expect(attribute(worker!, 'gen_ai.request.model')).toBe('ok');
    expect(Number(attribute(worker!, 'gen_ai.usage.output_tokens'))).toBe(7);
    const exported = collector.requests.map((request) => request.body).join('');
    expect(exported).not.toContain(canary);
    expect(exported).not.toContain(system.masterKey);
    expect(exported).not.toContain(promptCanary);
  });

  it('gives embeddings, Responses and failed requests over NATS a gateway span too, a new trace when the caller sends no traceparent', async () => {
    // Embeddings, no traceparent: a root span of a new trace.
    await nats.embeddings.create({ model: 'traced-embedding', input: promptCanary });
    const [embedding] = await gatewaySpansOn('embeddings', 1);
    expect(embedding).toBeDefined();
    expect(embedding.parentSpanId || undefined).toBeUndefined();
    expect(embedding.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(attribute(embedding, 'gen_ai.operation.name')).toBe('embeddings');
    expect(attribute(embedding, 'gen_ai.request.model')).toBe('traced-embedding');
    expect(Number(attribute(embedding, 'http.response.status_code'))).toBe(200);

    // Responses, with the caller's trace: the gateway span and the worker's below it.
    const responsesTraceId = '5b8efff798038103d269b633813fc60c';
    await nats.responses.create({ model: 'traced', input: promptCanary }, { headers: { traceparent: `00-${responsesTraceId}-eee19b7ec3c1b174-01` } });
    const responsesTrace = await traceOf(responsesTraceId, 2);
    const responses = responsesTrace.find((span) => span.service === 'switchboard-gateway');
    expect(responses?.parentSpanId).toBe('eee19b7ec3c1b174');
    expect(attribute(responses!, 'messaging.destination.name')).toBe(subject('responses'));
    expect(attribute(responses!, 'gen_ai.operation.name')).toBe('chat');
    expect(responsesTrace.find((span) => span.service === 'switchboard-worker')?.parentSpanId).toBe(responses?.spanId);

    // Every attempt refused upstream: the span ends with the status the caller got, marked failed.
    const failedTraceId = '8a3c60f7d188f8fa79d48a391a778fa6';
    const refused = await nats.chat.completions
      .create({ model: 'traced-429', messages: [{ role: 'user', content: 'x' }] }, { headers: { traceparent: `00-${failedTraceId}-53995c3f42cd8ad8-01` } })
      .catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(SwitchboardNatsError);
    expect(refused).toMatchObject({ status: 429 });
    const failed = (await traceOf(failedTraceId, 2)).find((span) => span.service === 'switchboard-gateway');
    expect(failed?.parentSpanId).toBe('53995c3f42cd8ad8');
    expect(Number(attribute(failed!, 'http.response.status_code'))).toBe(429);
    expect(attribute(failed!, 'error.type')).toBe('rate_limited');
    expect(failed?.status?.code).toBe(spanStatusError);
    expect(collector.requests.map((request) => request.body).join('')).not.toContain(promptCanary);
  });
});
