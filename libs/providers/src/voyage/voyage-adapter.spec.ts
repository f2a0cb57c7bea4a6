import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson, startFakeServer } from '@switchboard/testing';
import type { FakeServer } from '@switchboard/testing';
import type { EmbeddingRequest, ResolvedDeployment } from '@switchboard/spec';
import { VoyageAdapter } from './voyage-adapter';
import { createProviderRegistry } from '../provider-registry';
import { convertToVoyageRequest } from './convert-to-voyage-request';

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

describe('VoyageAdapter (wire)', () => {
  let fake: FakeServer;
  const adapter = new VoyageAdapter();
  const deployment = (): ResolvedDeployment => ({
    id: 'd1',
    provider: 'voyage',
    upstreamModel: 'voyage-3.5',
    apiBase: `${fake.url}/v1`,
    apiKey: 'test-key',
    timeoutMs: 10_000,
    params: {},
  });
  const call = (request: Partial<EmbeddingRequest>) => ({
    request: { model: 'voyage/voyage-3.5', input: ['first', 'second'], ...request },
    deployment: deployment(),
    signal: new AbortController().signal,
    requestId: 'req-1',
  });

  beforeAll(async () => {
    fake = await startFakeServer((_request, response) => sendJson(response, 500, {}));
  });
  afterAll(async () => fake.close());

  it('sends input, model, input_type and output_dimension and reads vectors and total_tokens', async () => {
    fake.setHandler((_request, response) => sendJson(response, 200, JSON.parse(fixture('embeddings.json'))));
    const result = await adapter.embed(call({ input_type: 'document', dimensions: 512, encoding_format: 'base64', user: 'u-1' }));
    const sent = fake.requests.at(-1);
    expect(sent?.url).toBe('/v1/embeddings');
    expect(sent?.headers.authorization).toBe('Bearer test-key');
    expect(sent?.json).toEqual({ model: 'voyage-3.5', input: ['first', 'second'], input_type: 'document', output_dimension: 512 });
    expect(result).toEqual({
      model: 'voyage-3.5',
      embeddings: [
        [0.0123, -0.0456, 0.0789, -0.0012],
        [-0.0321, 0.0654, -0.0987, 0.0021],
      ],
      usage: { inputTokens: 10, raw: { total_tokens: 10 } },
    });
  });

  it('maps HTTP errors with their detail', async () => {
    fake.setHandler((_request, response) => sendJson(response, 429, { detail: 'You have exceeded your TPM rate limit.' }, { 'retry-after': '30' }));
    await expect(adapter.embed(call({}))).rejects.toMatchObject({ code: 'rate_limited', retryAfterSeconds: 30, message: expect.stringContaining('TPM') });

    fake.setHandler((_request, response) => sendJson(response, 401, { detail: 'Provided API key is invalid.' }));
    const failure = await adapter.embed(call({})).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'authentication', isRetryable: false });
    expect((failure as Error).message).not.toContain('test-key');
  });

  it('refuses chat without calling upstream', async () => {
    const before = fake.requests.length;
    const options = { request: { model: 'voyage/x', messages: [] }, deployment: deployment(), signal: new AbortController().signal, requestId: 'r' };
    await expect(adapter.chat(options)).rejects.toMatchObject({ code: 'invalid_request', message: 'voyage offers embeddings only' });
    await expect(adapter.chatStream(options)).rejects.toMatchObject({ code: 'invalid_request', status: 400 });
    expect(fake.requests.length).toBe(before);
  });
});

describe('convertToVoyageRequest', () => {
  it.each([
    ['query', 'query'],
    ['document', 'document'],
    ['search_query', 'query'],
    ['search_document', 'document'],
    ['classification', undefined],
    [undefined, undefined],
  ])('input_type %s -> %s', (inputType, expected) => {
    expect(convertToVoyageRequest({ model: 'm', input: 'x', input_type: inputType }, 'voyage-3.5').input_type).toBe(expected);
  });
});

describe('VoyageAdapter registration', () => {
  it('is registered as voyage', () => {
    const registry = createProviderRegistry();
    expect(registry.get('voyage')).toBeInstanceOf(VoyageAdapter);
  });
});
