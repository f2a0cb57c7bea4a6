import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson, startFakeServer } from '@switchboard/testing';
import type { FakeServer, RecordedRequest } from '@switchboard/testing';
import type { ChatRequest, ResolvedDeployment, StreamPart } from '@switchboard/spec';
import { encodeBinaryEvent, encodeEvent } from '../aws/aws-event-stream';
import { createProviderRegistry } from '../provider-registry';
import { SagemakerAdapter } from './sagemaker-adapter';
import { SagemakerChatAdapter } from './sagemaker-chat-adapter';

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: secret, sessionToken: 'session-token-example' };

/** Cuts bytes at the given offsets. */
function cut(bytes: Uint8Array, offsets: number[]): Uint8Array[] {
  const bounds = [0, ...offsets, bytes.length];
  return bounds.slice(1).map((end, index) => bytes.slice(bounds[index], end));
}

/**
 * Answers as InvokeEndpointWithResponseStream does: the container's bytes in PayloadPart events,
 * the event stream itself written in pieces (with pauses, so they arrive as separate reads).
 */
async function sendPayloadParts(response: ServerResponse, parts: Uint8Array[], writeCuts: number[], trailer: Uint8Array[] = []): Promise<void> {
  response.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-sagemaker-content-type': 'text/event-stream' });
  const stream = Buffer.concat([...parts.map((part) => encodeBinaryEvent('PayloadPart', part)), ...trailer]);
  for (const piece of cut(stream, writeCuts)) {
    response.write(piece);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  response.end();
}

/** Signs the recorded request again with the same keys and date: equal only if what was sent is what was signed. */
async function expectValidSignature(sent: RecordedRequest, port: number, service: string, region: string): Promise<void> {
  const authorization = String(sent.headers.authorization);
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1].split(';') ?? [];
  const headers = Object.fromEntries(signedHeaders.map((name) => [name, String(sent.headers[name])]));
  const date = String(sent.headers['x-amz-date']);
  const signingDate = new Date(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`);
  const signer = new SignatureV4({ service, region, credentials, sha256: Sha256 });
  const again = await signer.sign(new HttpRequest({ method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port, path: sent.url, headers, body: sent.body }), { signingDate });
  expect(again.headers.authorization).toBe(authorization);
}

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const collected: StreamPart[] = [];
  for await (const part of parts) collected.push(part);
  return collected;
}

const text = (parts: StreamPart[]): string => parts.flatMap((part) => (part.type === 'text-delta' ? [part.delta] : [])).join('');

describe('SagemakerAdapter (TGI on InvokeEndpoint / InvokeEndpointWithResponseStream)', () => {
  let fake: FakeServer;
  const adapter = new SagemakerAdapter();
  const deployment = (params: Record<string, unknown> = {}): ResolvedDeployment => ({
    id: 'd1',
    provider: 'sagemaker',
    upstreamModel: 'tgi-endpoint',
    apiBase: fake.url,
    timeoutMs: 10_000,
    params: {
      aws_access_key_id: credentials.accessKeyId,
      aws_secret_access_key: secret,
      aws_session_token: credentials.sessionToken,
      aws_region_name: 'eu-central-1',
      ...params,
    },
  });
  const call = (request: Partial<ChatRequest> = {}, params: Record<string, unknown> = {}) => ({
    request: { model: 'group', messages: [{ role: 'user' as const, content: 'What is the capital of France?' }], ...request } as ChatRequest,
    deployment: deployment(params),
    signal: new AbortController().signal,
    requestId: 'req-1',
  });

  beforeAll(async () => {
    fake = await startFakeServer((_request, response) => sendJson(response, 500, {}));
  });
  afterAll(async () => fake.close());

  it('signs InvokeEndpoint with SigV4 (service sagemaker) and sends {inputs, parameters}; counts come from details', async () => {
    fake.setHandler((_request, response) => sendJson(response, 200, JSON.parse(fixture('tgi-generate-details.json'))));
    const result = await adapter.chat(
      call({ max_tokens: 64, temperature: 0.2, top_p: 0.9, stop: '\nUser:', seed: 7 }, { sagemaker_parameters: { details: true, decoder_input_details: true, top_k: 50 } }),
    );
    const sent = fake.requests.at(-1) as RecordedRequest;
    expect(sent.url).toBe('/endpoints/tgi-endpoint/invocations');
    expect(sent.json).toEqual({
      inputs: 'User: What is the capital of France?\n\nAssistant:',
      parameters: { details: true, decoder_input_details: true, top_k: 50, max_new_tokens: 64, temperature: 0.2, top_p: 0.9, stop: ['\nUser:'], seed: 7 },
    });
    expect(sent.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/eu-central-1\/sagemaker\/aws4_request, SignedHeaders=\S*host\S*x-amz-date/);
    expect(sent.headers['x-amz-security-token']).toBe('session-token-example');
    await expectValidSignature(sent, fake.port, 'sagemaker', 'eu-central-1');
    expect(JSON.stringify(sent.headers) + sent.url).not.toContain(secret);
    expect(result.choices[0]).toEqual({ index: 0, message: { role: 'assistant', content: ' The capital of France is Paris.' }, finishReason: { unified: 'stop', raw: 'eos_token' } });
    expect(result.usage).toMatchObject({ inputTokens: { total: 13 }, outputTokens: { total: 8 }, raw: { input_length: 13, generated_tokens: 8 } });
    expect(result.usage.raw).not.toHaveProperty('estimated');
  });

  it('estimates usage (flagged) without details, drops an echoed prompt and warns about what TGI cannot take', async () => {
    fake.setHandler((_request, response) => sendJson(response, 200, JSON.parse(fixture('tgi-generate-full-text.json'))));
    const result = await adapter.chat(call({ temperature: 0, top_p: 1, tools: [{ type: 'function', function: { name: 'f' } }] }));
    expect((fake.requests.at(-1)?.json as { parameters: unknown }).parameters).toEqual({});
    expect(result.choices[0].message.content).toBe('The capital of France is Paris.');
    expect(result.choices[0].finishReason).toEqual({ unified: 'stop', raw: null });
    expect(result.usage).toMatchObject({ inputTokens: { total: 12 }, outputTokens: { total: 8 }, raw: { estimated: true } });
    expect(result.warnings).toEqual(['sagemaker does not support tools; it was not sent']);
  });

  it('streams TGI SSE out of PayloadParts: event-stream frames split across reads, an SSE line and a character split across parts', async () => {
    const sse = Buffer.from(fixture('tgi-stream.sse'));
    const dash = sse.indexOf('—');
    // Part 1 ends inside the second `data:` line, part 2 inside the three bytes of "—".
    const parts = cut(sse, [sse.indexOf('data:', 10) + 20, dash + 1]);
    fake.setHandler((_request, response) => sendPayloadParts(response, parts, [3, 40, 150]));
    const collected = await collect(await adapter.chatStream(call({ stream: true, max_tokens: 32 }, { sagemaker_parameters: { details: true } })));
    const sent = fake.requests.at(-1);
    expect(sent?.url).toBe('/endpoints/tgi-endpoint/invocations-response-stream');
    expect(sent?.json).toMatchObject({ stream: true, parameters: { details: true, max_new_tokens: 32 } });
    expect(collected[0]).toMatchObject({ type: 'response-metadata', id: 'chatcmpl-req-1', model: 'tgi-endpoint' });
    expect(text(collected)).toBe(' Paris is lovely — café');
    expect(collected.slice(-2)).toEqual([
      { type: 'finish', index: 0, finishReason: { unified: 'stop', raw: 'eos_token' } },
      { type: 'usage', usage: expect.objectContaining({ inputTokens: expect.objectContaining({ total: 14 }), outputTokens: expect.objectContaining({ total: 5 }) }) },
    ]);
  });

  it('maps HTTP errors before any output: a container 422 inside ModelError, ThrottlingException, ServiceUnavailable', async () => {
    fake.setHandler((_request, response) =>
      sendJson(response, 424, JSON.parse(fixture('model-error.json')), { 'x-amzn-errortype': 'ModelError:http://internal.amazon.com/coral/com.amazon.sagemaker/' }),
    );
    const modelError = await adapter.chat(call()).catch((error: unknown) => error);
    expect(modelError).toMatchObject({ code: 'invalid_request', status: 422, isRetryable: false, providerCode: 'ModelError' });
    expect((modelError as Error).message).toMatch(/^sagemaker error: Input validation error: `inputs` tokens/);
    fake.setHandler((_request, response) => sendJson(response, 400, { message: 'Rate exceeded' }, { 'x-amzn-errortype': 'ThrottlingException' }));
    await expect(adapter.chatStream(call({ stream: true }))).rejects.toMatchObject({ code: 'rate_limited', isRetryable: true });
    fake.setHandler((_request, response) => sendJson(response, 503, { message: 'Service Unavailable' }, { 'x-amzn-errortype': 'ServiceUnavailable' }));
    const unavailable = await adapter.chatStream(call({ stream: true })).catch((error: unknown) => error);
    expect(unavailable).toMatchObject({ code: 'upstream_unavailable', isRetryable: true, providerCode: 'ServiceUnavailable' });
    expect(JSON.stringify(unavailable) + String(unavailable)).not.toContain(secret);
  });

  it('yields an error part for an exception inside the event stream and for a TGI error event', async () => {
    const [first] = fixture('tgi-stream.sse').split('\n\n');
    fake.setHandler((_request, response) =>
      sendPayloadParts(response, [Buffer.from(`${first}\n\n`)], [], [encodeEvent('ModelStreamError', { Message: 'Model invocation time exceeded', ErrorCode: 'ModelInvocationTimeExceeded' }, 'exception')]),
    );
    const timedOut = await collect(await adapter.chatStream(call({ stream: true })));
    expect(text(timedOut)).toBe(' Paris');
    expect(timedOut.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_timeout', providerCode: 'ModelInvocationTimeExceeded' } });
    fake.setHandler((_request, response) =>
      sendPayloadParts(response, [Buffer.from(`${first}\n\ndata:{"error":"Model is overloaded","error_type":"overloaded"}\n\n`)], []),
    );
    const overloaded = await collect(await adapter.chatStream(call({ stream: true })));
    expect(overloaded.at(-1)).toMatchObject({ type: 'error', error: { code: 'rate_limited', retryable: true, message: 'sagemaker error: Model is overloaded' } });
  });

  it('refuses a deployment without AWS keys or region, before calling', async () => {
    const before = fake.requests.length;
    await expect(adapter.chat(call({}, { aws_secret_access_key: undefined }))).rejects.toMatchObject({ code: 'authentication', status: 500 });
    await expect(adapter.chat({ ...call(), deployment: { ...deployment({ aws_region_name: undefined }), apiBase: undefined } })).rejects.toMatchObject({
      code: 'invalid_request',
      status: 500,
    });
    expect(fake.requests.length).toBe(before);
  });

  it('is registered as sagemaker and sagemaker_chat', () => {
    const registry = createProviderRegistry();
    expect(registry.get('sagemaker')).toBeInstanceOf(SagemakerAdapter);
    expect(registry.get('sagemaker_chat')).toBeInstanceOf(SagemakerChatAdapter);
  });
});
