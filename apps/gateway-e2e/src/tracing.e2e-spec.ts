import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation, startFakeOpenAiUpstream, startFakeServer, startSystem } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
}

const canary = 'sk-canary-trace-5c1d7e9a';

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

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startFakeOpenAiUpstream();
    collector = await startFakeServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: '100' };
    system = await startSystem({
      isolation,
      config: `model_list:\n  - model_name: traced\n    litellm_params:\n      model: openai/ok\n      api_base: ${upstream.url}/v1\n      api_key: ${canary}\n`,
      masterKey: 'sk-trace-master',
      workers: [{ providers: 'openai', environment: otel }],
      gatewayEnvironment: otel,
      budget: true,
      budgetEnvironment: otel,
    });
  });

  afterAll(async () => {
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
    const deadline = Date.now() + 10_000;
    let trace: ReturnType<typeof spansOf> = [];
    while (Date.now() < deadline) {
      trace = spansOf(collector).filter((span) => span.traceId === traceId);
      if (new Set(trace.map((span) => span.service)).size >= 3) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
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
});
