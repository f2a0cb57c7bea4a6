import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeAnswer, startFakeOpenAiUpstream } from '@switchboard/testing';
import type { FakeServer } from '@switchboard/testing';
import type { ChatRequest, ResolvedDeployment, StreamPart } from '@switchboard/spec';
import { createAzureAdapter, createAzureAiAdapter } from './azure-adapter';

describe('Azure OpenAI and Azure AI adapters', () => {
  let upstream: FakeServer;
  const deployment = (params: Record<string, unknown> = {}, apiVersion?: string): ResolvedDeployment => ({
    id: 'd1',
    provider: 'azure',
    upstreamModel: 'ok',
    apiBase: `${upstream.url}/`,
    apiKey: 'azure-resource-key',
    apiVersion,
    timeoutMs: 10_000,
    params,
  });
  const call = (model: ResolvedDeployment, request: Partial<ChatRequest> = {}) => ({
    request: { model: 'group', messages: [{ role: 'user' as const, content: 'Hi' }], ...request } as ChatRequest,
    deployment: model,
    signal: new AbortController().signal,
    requestId: 'req_1',
  });

  beforeAll(async () => {
    upstream = await startFakeOpenAiUpstream();
  });

  afterAll(async () => {
    await upstream.close();
  });

  it('calls the deployment URL with api-version and the key in api-key', async () => {
    const result = await createAzureAdapter().chat(call(deployment({}, '2024-06-01')));
    expect(result.choices[0].message.content).toBe(fakeAnswer.join(''));
    const sent = upstream.requests.at(-1);
    expect(sent?.url).toBe('/openai/deployments/ok/chat/completions?api-version=2024-06-01');
    expect(sent?.headers['api-key']).toBe('azure-resource-key');
    expect(sent?.headers.authorization).toBeUndefined();
  });

  it('uses an Entra ID token as a bearer when one is configured, and the GA api-version by default', async () => {
    const parts: StreamPart[] = [];
    for await (const part of await createAzureAdapter().chatStream(call(deployment({ azure_ad_token: 'entra-token' }), { stream: true }))) parts.push(part);
    const sent = upstream.requests.at(-1);
    expect(sent?.url).toBe('/openai/deployments/ok/chat/completions?api-version=2024-10-21');
    expect(sent?.headers.authorization).toBe('Bearer entra-token');
    expect(parts.some((part) => part.type === 'text-delta')).toBe(true);
  });

  it('passes an Azure 400 through as a 400', async () => {
    await expect(createAzureAdapter().chat(call({ ...deployment(), upstreamModel: 'status-400' }))).rejects.toMatchObject({ status: 400 });
  });

  it('Azure AI model inference: the endpoint with the model in the body, embeddings too', async () => {
    await createAzureAiAdapter().chat(call({ ...deployment({}, '2024-05-01-preview'), provider: 'azure_ai' }));
    expect(upstream.requests.at(-1)?.url).toBe('/chat/completions?api-version=2024-05-01-preview');
    const embedded = await createAzureAiAdapter().embed({ ...call(deployment()), request: { model: 'e', input: ['a'] } });
    expect(embedded.embeddings).toHaveLength(1);
  });
});
