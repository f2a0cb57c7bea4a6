import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson, startFakeServer } from '@switchboard/testing';
import type { FakeServer } from '@switchboard/testing';
import type { ChatRequest, ResolvedDeployment, StreamPart } from '@switchboard/spec';
import { encodeBinaryEvent } from '../aws/aws-event-stream';
import { SagemakerChatAdapter } from './sagemaker-chat-adapter';

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

/** PayloadPart events, each cut of the container's bytes in its own part, written in two pieces. */
async function sendPayloadParts(response: ServerResponse, body: string, partCuts: number[]): Promise<void> {
  response.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-sagemaker-content-type': 'text/event-stream' });
  const bytes = Buffer.from(body);
  const bounds = [0, ...partCuts, bytes.length];
  const stream = Buffer.concat(bounds.slice(1).map((end, index) => encodeBinaryEvent('PayloadPart', bytes.subarray(bounds[index], end))));
  response.write(stream.subarray(0, 11));
  await new Promise((resolve) => setTimeout(resolve, 5));
  response.end(stream.subarray(11));
}

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const collected: StreamPart[] = [];
  for await (const part of parts) collected.push(part);
  return collected;
}

const text = (parts: StreamPart[]): string => parts.flatMap((part) => (part.type === 'text-delta' ? [part.delta] : [])).join('');

describe('SagemakerChatAdapter (Messages API on SageMaker)', () => {
  let fake: FakeServer;
  const adapter = new SagemakerChatAdapter();
  const call = (request: Partial<ChatRequest> = {}, params: Record<string, unknown> = {}) => ({
    request: {
      model: 'group',
      messages: [
        { role: 'system' as const, content: 'Answer in one sentence.' },
        { role: 'user' as const, content: 'What is the capital of France?' },
      ],
      ...request,
    } as ChatRequest,
    deployment: {
      id: 'd1',
      provider: 'sagemaker_chat',
      upstreamModel: 'llama-31-8b-endpoint',
      apiBase: fake.url,
      timeoutMs: 10_000,
      params: { aws_access_key_id: 'AKIAIOSFODNN7EXAMPLE', aws_secret_access_key: secret, aws_region_name: 'us-west-2', ...params },
    } as ResolvedDeployment,
    signal: new AbortController().signal,
    requestId: 'req-2',
  });

  beforeAll(async () => {
    fake = await startFakeServer((_request, response) => sendJson(response, 500, {}));
  });
  afterAll(async () => fake.close());

  it('posts the OpenAI body to /invocations, signed for sagemaker with the inference component header', async () => {
    fake.setHandler((_request, response) => sendJson(response, 200, JSON.parse(fixture('chat-completion.json'))));
    const result = await adapter.chat(call({ max_completion_tokens: 50, temperature: 0.3 }, { model_id: 'llama-component-1' }));
    const sent = fake.requests.at(-1);
    expect(sent?.url).toBe('/endpoints/llama-31-8b-endpoint/invocations');
    expect(sent?.json).toEqual({
      model: 'llama-31-8b-endpoint',
      messages: [
        { role: 'system', content: 'Answer in one sentence.' },
        { role: 'user', content: 'What is the capital of France?' },
      ],
      max_tokens: 50,
      temperature: 0.3,
    });
    expect(sent?.headers['x-amzn-sagemaker-inference-component']).toBe('llama-component-1');
    expect(sent?.headers.authorization).toMatch(/Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/us-west-2\/sagemaker\/aws4_request, SignedHeaders=[^,]*x-amzn-sagemaker-inference-component/);
    expect(JSON.stringify(sent?.headers)).not.toContain(secret);
    // TGI leaves the id empty: the request's id stands in.
    expect(result).toMatchObject({ id: 'chatcmpl-req-2', model: 'meta-llama/Meta-Llama-3.1-8B-Instruct' });
    expect(result.choices[0]).toMatchObject({ message: { content: 'The capital of France is Paris.' }, finishReason: { unified: 'stop', raw: 'stop' } });
    expect(result.usage).toMatchObject({ inputTokens: { total: 21 }, outputTokens: { total: 8 }, raw: { prompt_tokens: 21 } });
  });

  it('streams OpenAI chunks out of PayloadParts, an SSE line and a character split across parts, with the usage chunk', async () => {
    const body = fixture('chat-stream.sse');
    const accent = Buffer.from(body).indexOf('è');
    fake.setHandler((_request, response) => sendPayloadParts(response, body, [97, accent + 1, accent + 300]));
    const parts = await collect(await adapter.chatStream(call({ stream: true })));
    expect(fake.requests.at(-1)?.url).toBe('/endpoints/llama-31-8b-endpoint/invocations-response-stream');
    expect(fake.requests.at(-1)?.json).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(parts[0]).toMatchObject({ type: 'response-metadata', id: 'chatcmpl-req-2', model: 'meta-llama/Meta-Llama-3.1-8B-Instruct' });
    expect(text(parts)).toBe('Paris, ville lumière.');
    expect(parts.find((part) => part.type === 'finish')).toMatchObject({ finishReason: { unified: 'stop', raw: 'stop' } });
    expect(parts.filter((part) => part.type === 'usage')).toEqual([
      { type: 'usage', usage: expect.objectContaining({ inputTokens: expect.objectContaining({ total: 21 }), outputTokens: expect.objectContaining({ total: 7 }) }) },
    ]);
  });

  it('estimates usage (flagged) when the container streams none', async () => {
    const withoutUsage = fixture('chat-stream.sse')
      .split('\n\n')
      .filter((event) => !event.includes('"choices":[]'))
      .join('\n\n');
    fake.setHandler((_request, response) => sendPayloadParts(response, withoutUsage, [50]));
    const parts = await collect(await adapter.chatStream(call({ stream: true })));
    expect(text(parts)).toBe('Paris, ville lumière.');
    expect(parts.at(-1)).toMatchObject({ type: 'usage', usage: { inputTokens: { total: 14 }, outputTokens: { total: 6 }, raw: { estimated: true } } });
  });

  it('maps a ValidationError before output and an error chunk inside the stream', async () => {
    fake.setHandler((_request, response) =>
      sendJson(response, 400, { message: 'Endpoint llama-31-8b-endpoint of account 123456789012 not found.' }, { 'x-amzn-errortype': 'ValidationError' }),
    );
    await expect(adapter.chat(call())).rejects.toMatchObject({ code: 'invalid_request', status: 400, providerCode: 'ValidationError' });
    const [first] = fixture('chat-stream.sse').split('\n\n');
    fake.setHandler((_request, response) => sendPayloadParts(response, `${first}\n\ndata: {"error":"Request failed during generation: CUDA out of memory","error_type":"generation"}\n\n`, [30]));
    const parts = await collect(await adapter.chatStream(call({ stream: true })));
    expect(text(parts)).toBe('Paris');
    expect(parts.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_error', retryable: true } });
  });
});
