import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBedrockUpstream } from '@switchboard/testing';
import type { FakeServer } from '@switchboard/testing';
import type { ChatRequest, ResolvedDeployment, StreamPart } from '@switchboard/spec';
import { BedrockAdapter } from './bedrock-adapter';
import { mapBedrockFinishReason } from './map-bedrock-finish-reason';

describe('the Bedrock Converse adapter against a fake Bedrock Runtime', () => {
  let upstream: FakeServer;
  const adapter = new BedrockAdapter();
  const deployment = (model: string, params: Record<string, unknown> = {}): ResolvedDeployment => ({
    id: 'd1',
    provider: 'bedrock',
    upstreamModel: model,
    apiBase: upstream.url,
    timeoutMs: 10_000,
    params: { aws_access_key_id: 'AKIAEXAMPLE123456789', aws_secret_access_key: 'secret-key-example', aws_region_name: 'eu-central-1', ...params },
  });
  const call = (model: string, request: Partial<ChatRequest> = {}) => ({
    request: { model: 'group', messages: [{ role: 'system' as const, content: 'Be brief.' }, { role: 'user' as const, content: 'Hi' }], ...request } as ChatRequest,
    deployment: deployment(model),
    signal: new AbortController().signal,
    requestId: 'req_1',
  });

  beforeAll(async () => {
    upstream = await startFakeBedrockUpstream();
  });

  afterAll(async () => {
    await upstream.close();
  });

  it('signs with SigV4 and sends the Converse body', async () => {
    const result = await adapter.chat(call('anthropic.claude-3-5-sonnet-20240620-v1:0', { max_tokens: 64, temperature: 0.1 }));
    expect(result.choices[0].message.content).toBe('Hello from Bedrock.');
    expect(result.usage).toMatchObject({ inputTokens: { total: 36, cacheRead: 6, noCache: 30 }, outputTokens: { total: 9 } });
    const sent = upstream.requests.at(-1);
    expect(sent?.url).toBe('/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse');
    expect(sent?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE123456789\/\d{8}\/eu-central-1\/bedrock\/aws4_request, SignedHeaders=[^,]*host[^,]*x-amz-date/);
    expect(sent?.headers.authorization).not.toContain('secret-key-example');
    expect(sent?.json).toEqual({
      messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
      system: [{ text: 'Be brief.' }],
      inferenceConfig: { maxTokens: 64, temperature: 0.1 },
    });
  });

  it('streams text and tool use from the AWS event-stream framing, split across reads', async () => {
    const collect = async (model: string) => {
      const parts: StreamPart[] = [];
      for await (const part of await adapter.chatStream(call(model, { stream: true }))) parts.push(part);
      return parts;
    };
    const text = await collect('meta.llama3-1-70b-instruct-v1:0');
    expect(text.filter((part) => part.type === 'text-delta').map((part) => (part.type === 'text-delta' ? part.delta : '')).join('')).toBe('Hello from Bedrock.');
    expect(text.at(-1)).toMatchObject({ type: 'usage', usage: { inputTokens: { total: 36 } } });
    const tools = await collect('converse/us.anthropic.claude-tools-v1:0');
    expect(upstream.requests.at(-1)?.url).toBe('/model/us.anthropic.claude-tools-v1%3A0/converse-stream');
    expect(tools.filter((part) => part.type === 'tool-call-delta').map((part) => (part.type === 'tool-call-delta' ? part.argumentsDelta : ''))).toEqual(['', '{"city":', '"Paris"}']);
    expect(tools.find((part) => part.type === 'finish')).toMatchObject({ finishReason: { unified: 'tool_calls', raw: 'tool_use' } });
  });

  it('maps ThrottlingException to 429 and an exception event to an error part', async () => {
    await expect(adapter.chat(call('throttled-model'))).rejects.toMatchObject({ code: 'rate_limited', status: 429, providerCode: 'ThrottlingException' });
    const parts: StreamPart[] = [];
    for await (const part of await adapter.chatStream(call('stream-exception-model', { stream: true }))) parts.push(part);
    expect(parts.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_error', providerCode: 'modelStreamErrorException' } });
  });

  it('uses a Bedrock API key as a bearer when no AWS keys are given', async () => {
    await adapter.chat({ ...call('amazon.nova-lite-v1:0'), deployment: { ...deployment('amazon.nova-lite-v1:0', { aws_access_key_id: undefined, aws_secret_access_key: undefined }), apiKey: 'bedrock-api-key' } });
    expect(upstream.requests.at(-1)?.headers.authorization).toBe('Bearer bedrock-api-key');
  });

  it.each([
    ['end_turn', 'stop'],
    ['max_tokens', 'length'],
    ['tool_use', 'tool_calls'],
    ['guardrail_intervened', 'content_filter'],
    ['content_filtered', 'content_filter'],
  ])('maps %s to %s', (raw, unified) => {
    expect(mapBedrockFinishReason(raw).unified).toBe(unified);
  });
});
