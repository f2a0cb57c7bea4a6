import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson, startFakeServer } from '@switchboard/testing';
import type { FakeServer } from '@switchboard/testing';
import type { EmbeddingRequest, ResolvedDeployment } from '@switchboard/spec';
import { VertexAiAdapter } from './vertex-ai-adapter';

const vectorOf = (text: string): number[] => [text.length / 10, 0.5];
const prediction = (content: string) => ({ embeddings: { values: vectorOf(content), statistics: { truncated: false, token_count: content.split(' ').length } } });

describe('Vertex AI embeddings (:predict on the Google publisher model)', () => {
  let fake: FakeServer;
  const adapter = new VertexAiAdapter();
  const call = (model: string, request: Partial<EmbeddingRequest> = {}) => ({
    request: { model: 'group', input: ['the first text', 'a second one', 'third'], ...request } as EmbeddingRequest,
    deployment: {
      id: 'd1',
      provider: 'vertex_ai',
      upstreamModel: model,
      apiBase: fake.url,
      timeoutMs: 10_000,
      params: { vertex_project: 'my-project', vertex_location: 'europe-west1', vertex_access_token: 'ya29.test-token' },
    } as ResolvedDeployment,
    signal: new AbortController().signal,
    requestId: 'req-4',
  });

  beforeAll(async () => {
    fake = await startFakeServer(async (request, response) => {
      const body = request.json as { instances: Array<{ content: string }> };
      if (!request.url.endsWith(':predict')) return sendJson(response, 404, { error: { code: 404, message: 'no route', status: 'NOT_FOUND' } });
      // The first text answers last: results must still come back in input order.
      if (body.instances[0].content === 'the first text') await new Promise((resolve) => setTimeout(resolve, 30));
      sendJson(response, 200, { predictions: body.instances.map((instance) => prediction(instance.content)), metadata: { billableCharacterCount: 30 } });
    });
  });
  afterAll(async () => fake.close());

  it('sends every text in one call to a text-embedding model, with outputDimensionality and task_type, and sums token_count', async () => {
    const since = fake.requests.length;
    const result = await adapter.embed(call('text-embedding-005', { dimensions: 256, input_type: 'search_query' }));
    const sent = fake.requests.slice(since);
    expect(sent).toHaveLength(1);
    expect(sent[0].url).toBe('/v1/projects/my-project/locations/europe-west1/publishers/google/models/text-embedding-005:predict');
    expect(sent[0].headers.authorization).toBe('Bearer ya29.test-token');
    expect(sent[0].json).toEqual({
      instances: [
        { content: 'the first text', task_type: 'RETRIEVAL_QUERY' },
        { content: 'a second one', task_type: 'RETRIEVAL_QUERY' },
        { content: 'third', task_type: 'RETRIEVAL_QUERY' },
      ],
      parameters: { outputDimensionality: 256 },
    });
    expect(result.embeddings).toEqual([vectorOf('the first text'), vectorOf('a second one'), vectorOf('third')]);
    expect(result.usage).toEqual({ inputTokens: 7, raw: { token_count: [3, 3, 1], truncated: false } });
  });

  it('sends gemini-embedding models one instance a call and keeps the input order', async () => {
    const since = fake.requests.length;
    const result = await adapter.embed(call('gemini-embedding-001'));
    const sent = fake.requests.slice(since);
    expect(sent.map((request) => request.json)).toEqual(
      expect.arrayContaining([{ instances: [{ content: 'the first text' }] }, { instances: [{ content: 'a second one' }] }, { instances: [{ content: 'third' }] }]),
    );
    expect(sent).toHaveLength(3);
    expect(result.embeddings).toEqual([vectorOf('the first text'), vectorOf('a second one'), vectorOf('third')]);
    expect(result.usage.inputTokens).toBe(7);
  });

  it('maps Google errors (429 RESOURCE_EXHAUSTED, 400 INVALID_ARGUMENT) and refuses token arrays before calling', async () => {
    fake.setHandler((_request, response) => sendJson(response, 429, { error: { code: 429, message: 'Quota exceeded for aiplatform.googleapis.com/online_prediction_requests_per_base_model', status: 'RESOURCE_EXHAUSTED' } }));
    await expect(adapter.embed(call('text-embedding-005'))).rejects.toMatchObject({ code: 'rate_limited', isRetryable: true, providerCode: 'RESOURCE_EXHAUSTED' });
    fake.setHandler((_request, response) => sendJson(response, 400, { error: { code: 400, message: 'Unsupported output dimensionality: 4096', status: 'INVALID_ARGUMENT' } }));
    await expect(adapter.embed(call('text-embedding-005', { dimensions: 4096 }))).rejects.toMatchObject({ code: 'invalid_request', status: 400 });
    const since = fake.requests.length;
    await expect(adapter.embed(call('text-embedding-005', { input: [1, 2, 3] }))).rejects.toMatchObject({ code: 'invalid_request', param: 'input' });
    expect(fake.requests.length).toBe(since);
  });
});
