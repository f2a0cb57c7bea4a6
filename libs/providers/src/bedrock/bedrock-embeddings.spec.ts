import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson, startFakeServer } from '@switchboard/testing';
import type { FakeServer, RecordedRequest } from '@switchboard/testing';
import type { EmbeddingRequest, ResolvedDeployment } from '@switchboard/spec';
import { BedrockAdapter } from './bedrock-adapter';

const secret = 'bedrock-secret-key-example';

/** A deterministic vector per text, so order can be checked. */
const vectorOf = (text: string): number[] => [text.length, text.charCodeAt(0) / 100];

describe('Bedrock embeddings through InvokeModel against a fake Bedrock Runtime', () => {
  let fake: FakeServer;
  const adapter = new BedrockAdapter();
  const call = (model: string, request: Partial<EmbeddingRequest> = {}, params: Record<string, unknown> = {}) => ({
    request: { model: 'group', input: ['first text', 'second'], ...request } as EmbeddingRequest,
    deployment: {
      id: 'd1',
      provider: 'bedrock',
      upstreamModel: model,
      apiBase: fake.url,
      timeoutMs: 10_000,
      params: { aws_access_key_id: 'AKIAEXAMPLE123456789', aws_secret_access_key: secret, aws_region_name: 'us-east-1', ...params },
    } as ResolvedDeployment,
    signal: new AbortController().signal,
    requestId: 'req-3',
  });
  const invocations = (since: number): RecordedRequest[] => fake.requests.slice(since);

  beforeAll(async () => {
    fake = await startFakeServer(async (request, response) => {
      const body = request.json as { inputText?: string; texts?: string[] };
      if (request.url.includes('amazon.titan-embed')) {
        const inputText = body.inputText ?? '';
        // The first text answers last: results must still come back in input order.
        if (inputText === 'first text') await new Promise((resolve) => setTimeout(resolve, 30));
        return sendJson(response, 200, { embedding: vectorOf(inputText), inputTextTokenCount: inputText.split(' ').length + 1, embeddingsByType: { float: vectorOf(inputText) } });
      }
      if (request.url.includes('cohere.embed-v4')) {
        const texts = body.texts ?? [];
        return sendJson(response, 200, { id: 'emb-v4', response_type: 'embeddings_by_type', embeddings: { float: texts.map(vectorOf) }, texts }, {
          'x-amzn-bedrock-input-token-count': String(texts.length * 3),
        });
      }
      if (request.url.includes('cohere.embed')) {
        const texts = body.texts ?? [];
        return sendJson(response, 200, { id: 'emb-v3', response_type: 'embeddings_floats', embeddings: texts.map(vectorOf), texts });
      }
      sendJson(response, 404, { message: 'not found' });
    });
  });
  afterAll(async () => fake.close());

  it('embeds with Titan V2: one signed InvokeModel call per text, {inputText, dimensions, normalize}, usage from inputTextTokenCount', async () => {
    const since = fake.requests.length;
    const result = await adapter.embed(call('amazon.titan-embed-text-v2:0', { dimensions: 256, normalize: true }));
    const sent = invocations(since);
    expect(sent.map((request) => request.url)).toEqual(['/model/amazon.titan-embed-text-v2%3A0/invoke', '/model/amazon.titan-embed-text-v2%3A0/invoke']);
    expect(sent.map((request) => request.json)).toEqual(
      expect.arrayContaining([
        { inputText: 'first text', dimensions: 256, normalize: true },
        { inputText: 'second', dimensions: 256, normalize: true },
      ]),
    );
    expect(sent[0].headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE123456789\/\d{8}\/us-east-1\/bedrock\/aws4_request/);
    expect(JSON.stringify(sent.map((request) => request.headers))).not.toContain(secret);
    expect(result.embeddings).toEqual([vectorOf('first text'), vectorOf('second')]);
    expect(result.usage).toEqual({ inputTokens: 5, raw: { inputTextTokenCount: [3, 2] } });
  });

  it('sends Titan G1 only {inputText} and refuses dimensions, which G1 cannot honour', async () => {
    const since = fake.requests.length;
    await adapter.embed(call('amazon.titan-embed-text-v1', { input: 'solo' }));
    expect(invocations(since).map((request) => request.json)).toEqual([{ inputText: 'solo' }]);
    await expect(adapter.embed(call('amazon.titan-embed-text-v1', { dimensions: 512 }))).rejects.toMatchObject({ code: 'invalid_request', param: 'dimensions' });
  });

  it('embeds with Cohere in batches of 96 ({texts, input_type}), usage from x-amzn-bedrock-input-token-count', async () => {
    const since = fake.requests.length;
    const input = Array.from({ length: 100 }, (_, index) => `text ${index}`);
    const result = await adapter.embed(call('cohere.embed-v4:0', { input, input_type: 'search_query', dimensions: 1024 }));
    const sent = invocations(since);
    expect(sent.map((request) => (request.json as { texts: string[] }).texts.length)).toEqual([96, 4]);
    expect(sent[0].json).toMatchObject({ input_type: 'search_query', output_dimension: 1024 });
    expect(result.embeddings).toHaveLength(100);
    expect(result.embeddings[99]).toEqual(vectorOf('text 99'));
    expect(result.usage).toEqual({ inputTokens: 300, raw: { inputTokenCount: 300 } });
  });

  it('reads Cohere v3 float lists, defaults input_type to search_document, and estimates usage (flagged) without the header', async () => {
    const since = fake.requests.length;
    const result = await adapter.embed(call('us.cohere.embed-english-v3'));
    expect(invocations(since)[0].json).toEqual({ texts: ['first text', 'second'], input_type: 'search_document' });
    expect(result.embeddings).toEqual([vectorOf('first text'), vectorOf('second')]);
    expect(result.usage).toEqual({ inputTokens: 5, raw: { estimated: true } });
  });

  it('maps errors (ValidationException, ThrottlingException) and refuses models and inputs it cannot embed before calling', async () => {
    fake.setHandler((_request, response) =>
      sendJson(response, 400, { message: 'Malformed input request: expected maxLength: 50000' }, { 'x-amzn-errortype': 'ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/' }),
    );
    await expect(adapter.embed(call('amazon.titan-embed-text-v2:0'))).rejects.toMatchObject({ code: 'invalid_request', status: 400, providerCode: 'ValidationException' });
    fake.setHandler((_request, response) => sendJson(response, 429, { message: 'Too many requests' }, { 'x-amzn-errortype': 'ThrottlingException' }));
    const throttled = await adapter.embed(call('cohere.embed-english-v3')).catch((error: unknown) => error);
    expect(throttled).toMatchObject({ code: 'rate_limited', isRetryable: true });
    expect(String(throttled) + JSON.stringify(throttled)).not.toContain(secret);
    const since = fake.requests.length;
    await expect(adapter.embed(call('amazon.titan-embed-image-v1'))).rejects.toMatchObject({ code: 'invalid_request', param: 'model' });
    await expect(adapter.embed(call('amazon.titan-embed-text-v2:0', { input: [[1, 2, 3]] }))).rejects.toMatchObject({ code: 'invalid_request', param: 'input' });
    expect(fake.requests.length).toBe(since);
  });
});
