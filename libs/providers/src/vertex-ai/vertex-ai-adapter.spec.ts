import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson, sendSse, startFakeServer } from '@switchboard/testing';
import type { FakeServer } from '@switchboard/testing';
import type { ChatRequest, ResolvedDeployment, StreamPart } from '@switchboard/spec';
import { VertexAiAdapter } from './vertex-ai-adapter';

const sse = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

describe('the Vertex AI adapter (Gemini and Claude publishers)', () => {
  let upstream: FakeServer;
  const adapter = new VertexAiAdapter();
  const call = (model: string, request: Partial<ChatRequest> = {}) => ({
    request: { model: 'group', messages: [{ role: 'user' as const, content: 'Hi' }], ...request } as ChatRequest,
    deployment: {
      id: 'd1',
      provider: 'vertex_ai',
      upstreamModel: model,
      apiBase: upstream.url,
      timeoutMs: 10_000,
      params: { vertex_project: 'my-project', vertex_location: 'europe-west1', vertex_access_token: 'ya29.test-token' },
    } as ResolvedDeployment,
    signal: new AbortController().signal,
    requestId: 'req_1',
  });

  beforeAll(async () => {
    upstream = await startFakeServer((request, response) => {
      if (request.url.includes('/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse')) {
        return sendSse(response, [
          `data: ${JSON.stringify({ candidates: [{ content: { role: 'model', parts: [{ text: 'Hello from Vertex.' }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 4 } })}\n\n`,
        ]);
      }
      if (request.url.includes('/publishers/anthropic/models/claude-sonnet-4-5:streamRawPredict')) {
        return sendSse(response, [
          sse('message_start', { message: { id: 'msg_v', model: 'claude-sonnet-4-5', content: [], stop_reason: null, usage: { input_tokens: 7, output_tokens: 1 } } }),
          sse('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
          sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hello from Claude on Vertex.' } }),
          sse('content_block_stop', { index: 0 }),
          sse('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 6 } }),
          sse('message_stop', {}),
        ]);
      }
      sendJson(response, 404, { error: { code: 404, message: `no route ${request.url}`, status: 'NOT_FOUND' } });
    });
  });

  afterAll(async () => {
    await upstream.close();
  });

  it('calls the Google publisher endpoint of the project and location with a bearer token', async () => {
    const result = await adapter.chat(call('gemini-2.5-flash'));
    expect(result.choices[0].message.content).toBe('Hello from Vertex.');
    const sent = upstream.requests.at(-1);
    expect(sent?.url).toBe('/v1/projects/my-project/locations/europe-west1/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(sent?.headers.authorization).toBe('Bearer ya29.test-token');
    expect(result.usage.inputTokens.total).toBe(5);
  });

  it('calls Anthropic on Vertex with the vertex anthropic_version and no model in the body', async () => {
    const parts: StreamPart[] = [];
    for await (const part of await adapter.chatStream(call('claude-sonnet-4-5', { stream: true, max_tokens: 100 }))) parts.push(part);
    expect(parts.filter((part) => part.type === 'text-delta').map((part) => (part.type === 'text-delta' ? part.delta : '')).join('')).toBe('Hello from Claude on Vertex.');
    const sent = upstream.requests.at(-1)?.json as Record<string, unknown>;
    expect(sent.anthropic_version).toBe('vertex-2023-10-16');
    expect(sent.model).toBeUndefined();
    expect(sent.max_tokens).toBe(100);
  });

  it('keeps cache_control and signed thinking blocks intact in the Claude body (the Anthropic converter)', async () => {
    const signature = 'EqoBCkgIARABGAIiQKq3Yx0Jm3hJ0l1b3cT2k0aQn2f5d8k1Z7s9eGm4xq2';
    const parts: StreamPart[] = [];
    const request: Partial<ChatRequest> = {
      stream: true,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Long policy.', cache_control: { type: 'ephemeral' } }] },
        { role: 'user', content: [{ type: 'text', text: 'Long document.', cache_control: { type: 'ephemeral', ttl: '1h' } }] },
        {
          role: 'assistant',
          content: 'Let me check.',
          thinking_blocks: [{ type: 'thinking', thinking: 'I should call get_weather.', signature }, { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix' }],
          tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
        },
        { role: 'tool', tool_call_id: 'toolu_1', content: '18°C' },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } }, cache_control: { type: 'ephemeral' } }],
    };
    for await (const part of await adapter.chatStream(call('claude-sonnet-4-5', request))) parts.push(part);
    const sent = upstream.requests.at(-1)?.json as Record<string, unknown>;
    expect(sent.system).toEqual([{ type: 'text', text: 'Long policy.', cache_control: { type: 'ephemeral' } }]);
    expect(sent.tools).toEqual([{ name: 'get_weather', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral' } }]);
    expect(sent.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Long document.', cache_control: { type: 'ephemeral', ttl: '1h' } }] },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'I should call get_weather.', signature },
          { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix' },
          { type: 'text', text: 'Let me check.' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '18°C' }] },
    ]);
  });

  it('refuses a deployment without vertex_project', async () => {
    await expect(adapter.chat({ ...call('gemini-2.5-flash'), deployment: { ...call('gemini-2.5-flash').deployment, params: { vertex_access_token: 't' } } })).rejects.toMatchObject({ status: 500 });
  });
});
