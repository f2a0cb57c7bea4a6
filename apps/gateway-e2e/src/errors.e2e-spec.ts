import { connect } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation, startFakeOpenAiUpstream, startSystem } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';
import { fakeUpstreamConfig, upstreamKey } from './e2e-config';

/**
 * The gateway answers 413 from the content-length alone, before reading the body, and closes.
 * A client that keeps writing races that close (EPIPE can hide the answer), so this one sends the
 * head and the first 64 KiB on a raw socket, then only reads.
 */
function postRaw(url: string, body: string, key: string): Promise<{ status: number; requestId: string; body: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(target.port), target.hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString();
      const [head, ...rest] = text.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      const requestId = /^x-request-id: (.+)$/im.exec(head)?.[1]?.trim() ?? '';
      resolve({ status, requestId, body: rest.join('\r\n\r\n') });
    });
    socket.write(
      `POST ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`,
    );
    socket.write(body.slice(0, 64 * 1024));
  });
}

describe('errors in OpenAI error JSON, with the right status and an x-request-id', () => {
  let isolation: Isolation;
  let upstream: FakeServer;
  let system: RunningSystem;
  let client: OpenAI;

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${system.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${system.masterKey}`, 'content-type': 'application/json', ...headers },
      body,
    });

  const expectOpenAiError = async (response: Response, status: number) => {
    expect(response.status).toBe(status);
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    const body = (await response.json()) as { error: Record<string, unknown> };
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
    return body.error;
  };

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startFakeOpenAiUpstream();
    system = await startSystem({
      isolation,
      config: fakeUpstreamConfig(upstream.url),
      workers: [{ providers: 'openai,mock', environment: { FAKE_UPSTREAM_KEY: upstreamKey } }],
      gatewayEnvironment: { GATEWAY_TIMEOUT_GRACE_MS: '1000' },
    });
    client = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: system.masterKey, maxRetries: 0 });
  });

  afterAll(async () => {
    await system?.stop();
    await upstream?.close();
    await isolation?.cleanup();
  });

  it('400 for malformed JSON', async () => {
    const error = await expectOpenAiError(await post('{"model": '), 400);
    expect(error.type).toBe('invalid_request_error');
  });

  it('400 naming the invalid field', async () => {
    const error = await expectOpenAiError(
      await post(JSON.stringify({ model: 'fake-ok', messages: [{ role: 'user', content: 'x' }], temperature: 7 })),
      400,
    );
    expect(error.param).toBe('temperature');
    const missing = await expectOpenAiError(await post(JSON.stringify({ model: 'fake-ok' })), 400);
    expect(missing.param).toBe('messages');
    const role = await expectOpenAiError(await post(JSON.stringify({ model: 'fake-ok', messages: [{ role: 'robot', content: 'x' }] })), 400);
    expect(role.param).toBe('messages[0].role');
  });

  it('413 for an oversized body', async () => {
    const huge = JSON.stringify({ model: 'fake-ok', messages: [{ role: 'user', content: 'x'.repeat(11 * 1024 * 1024) }] });
    const response = await postRaw(`${system.baseUrl}/v1/chat/completions`, huge, system.masterKey);
    expect(response.status).toBe(413);
    expect(response.requestId).toMatch(/^req_/);
    expect(JSON.parse(response.body).error.code).toBe('payload_too_large');
  });

  it('401 for a missing or wrong key, as the SDK class AuthenticationError', async () => {
    await expectOpenAiError(await post('{}', { authorization: '' }), 401);
    const wrong = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: 'sk-wrong', maxRetries: 0 });
    await expect(wrong.chat.completions.create({ model: 'fake-ok', messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
  });

  it('accepts the key as x-api-key and api-key too', async () => {
    const body = JSON.stringify({ model: 'mock-gpt', messages: [{ role: 'user', content: 'x' }] });
    expect((await post(body, { authorization: '', 'x-api-key': system.masterKey })).status).toBe(200);
    expect((await post(body, { authorization: '', 'api-key': system.masterKey })).status).toBe(200);
  });

  it("400 model_not_found for an unknown model, LiteLLM's status and message", async () => {
    const error = await client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('model_not_found');
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).message).toContain('Invalid model name passed in model=no-such-model');
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).requestID).toMatch(/^req_/);
  });

  it('passes upstream 4xx through with their meaning', async () => {
    await expectOpenAiError(await post(JSON.stringify({ model: 'fake-status-400', messages: [{ role: 'user', content: 'x' }] })), 400);
    const context = await expectOpenAiError(await post(JSON.stringify({ model: 'fake-context', messages: [{ role: 'user', content: 'x' }] })), 400);
    expect(context.code).toBe('context_length_exceeded');
    await expectOpenAiError(await post(JSON.stringify({ model: 'fake-status-401', messages: [{ role: 'user', content: 'x' }] })), 401);
  });

  it('429 keeps the upstream retry-after', async () => {
    const response = await post(JSON.stringify({ model: 'fake-status-429', messages: [{ role: 'user', content: 'x' }] }));
    expect(response.headers.get('retry-after')).toBe('7');
    await expectOpenAiError(response, 429);
  });

  it('upstream 5xx becomes 502 / 503, unreachable 503, timeout 504', async () => {
    await expectOpenAiError(await post(JSON.stringify({ model: 'fake-status-500', messages: [{ role: 'user', content: 'x' }] })), 502);
    await expectOpenAiError(await post(JSON.stringify({ model: 'fake-status-503', messages: [{ role: 'user', content: 'x' }] })), 503);
    await expectOpenAiError(await post(JSON.stringify({ model: 'unreachable', messages: [{ role: 'user', content: 'x' }] })), 503);
    const started = Date.now();
    await expectOpenAiError(await post(JSON.stringify({ model: 'fake-hang', messages: [{ role: 'user', content: 'x' }] })), 504);
    expect(Date.now() - started).toBeLessThan(2_000 + 1_500);
  });

  it('an error event before any output in a 200 stream is still a JSON error', async () => {
    const response = await post(JSON.stringify({ model: 'fake-error-first', stream: true, messages: [{ role: 'user', content: 'x' }] }));
    await expectOpenAiError(response, 503);
  });

  it('an error after streaming started is an in-band SSE error event, never a fake finish', async () => {
    const response = await post(JSON.stringify({ model: 'fake-error-after-output', stream: true, messages: [{ role: 'user', content: 'x' }] }));
    expect(response.status).toBe(200);
    const text = await response.text();
    const frames = text.trim().split('\n\n');
    expect(frames.at(-1)).toMatch(/^data: \{"error":\{"message":"openai error: upstream failed mid-stream"/);
    expect(text).not.toContain('"finish_reason":"stop"');
    expect(text).not.toContain('[DONE]');

    const stream = await client.chat.completions.create({ model: 'fake-cut-stream', stream: true, messages: [{ role: 'user', content: 'x' }] });
    const received: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
      })(),
    ).rejects.toBeInstanceOf(OpenAI.APIError);
    expect(received.join('')).toBe('Hello from');
  });

  it('never echoes the master key or the upstream key in an error body', async () => {
    const response = await post(JSON.stringify({ model: 'fake-status-401', messages: [{ role: 'user', content: 'x' }] }));
    const text = await response.text();
    expect(text).not.toContain(system.masterKey);
    expect(text).not.toContain(upstreamKey);
  });
});
