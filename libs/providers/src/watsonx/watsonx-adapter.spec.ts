import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendJson, sendSse, startFakeServer } from '@switchboard/testing';
import type { FakeServer, RecordedRequest } from '@switchboard/testing';
import type { ChatRequest, ResolvedDeployment, StreamPart } from '@switchboard/spec';
import type { ServerResponse } from 'node:http';
import { createProviderRegistry } from '../provider-registry';
import { WatsonxAdapter } from './watsonx-adapter';

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const json = (name: string): unknown => JSON.parse(fixture(name));

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const collected: StreamPart[] = [];
  for await (const part of parts) collected.push(part);
  return collected;
}

type Answer = (request: RecordedRequest, response: ServerResponse) => void;

describe('WatsonxAdapter (wire)', () => {
  let fake: FakeServer;
  let answer: Answer;
  let iamExpiration: number;
  let keyCounter = 0;
  const adapter = new WatsonxAdapter();
  const iamRequests = () => fake.requests.filter((request) => request.url === '/identity/token');
  const apiRequests = () => fake.requests.filter((request) => request.url.startsWith('/ml/'));
  const deployment = (overrides: Partial<ResolvedDeployment> = {}, params: Record<string, unknown> = {}): ResolvedDeployment => ({
    id: 'd1',
    provider: 'watsonx',
    upstreamModel: 'meta-llama/llama-3-3-70b-instruct',
    apiBase: fake.url,
    apiKey: `test-key-${keyCounter}`,
    timeoutMs: 10_000,
    params: { watsonx_project_id: '63dc4cf1-252f-424b-b52d-5cdd9814987f', watsonx_iam_url: `${fake.url}/identity/token`, ...params },
    ...overrides,
  });
  const call = (request: Partial<ChatRequest> = {}, target: ResolvedDeployment = deployment()) => ({
    request: { model: 'watsonx/x', messages: [{ role: 'user' as const, content: 'Hello' }], ...request },
    deployment: target,
    signal: new AbortController().signal,
    requestId: 'req-1',
  });

  beforeAll(async () => {
    fake = await startFakeServer((request, response) => {
      if (request.url === '/identity/token') {
        sendJson(response, 200, { ...(json('iam-token.json') as object), expiration: iamExpiration });
        return;
      }
      answer(request, response);
    });
  });
  afterAll(async () => fake.close());
  beforeEach(() => {
    keyCounter += 1;
    iamExpiration = Math.floor(Date.now() / 1000) + 3600;
    fake.requests.length = 0;
  });

  it('exchanges the API key at IAM and sends project, messages, tools and tool_choice_option', async () => {
    answer = (_request, response) => sendJson(response, 200, json('chat-tool-call.json'));
    const result = await adapter.chat(
      call({
        messages: [
          { role: 'developer', content: 'Be brief.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Weather in Boston?' },
              { type: 'image_url', image_url: { url: 'https://example.com/sky.png', detail: 'low' } },
              { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
            ],
          },
        ],
        tools: [
          {
            type: 'function',
            function: {
              name: 'get_current_weather',
              strict: true,
              parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'], additionalProperties: false },
            },
          },
        ],
        tool_choice: 'required',
        parallel_tool_calls: false,
        max_completion_tokens: 200,
        stop: 'END',
        seed: 3,
      }),
    );

    const [iam] = iamRequests();
    expect(iam.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(iam.body))).toEqual({ grant_type: 'urn:ibm:params:oauth:grant-type:apikey', apikey: `test-key-${keyCounter}` });
    const [sent] = apiRequests();
    expect(sent.url).toBe('/ml/v1/text/chat?version=2024-05-31');
    expect(sent.headers.authorization).toBe(`Bearer ${(json('iam-token.json') as { access_token: string }).access_token}`);
    expect(sent.json).toEqual({
      model_id: 'meta-llama/llama-3-3-70b-instruct',
      project_id: '63dc4cf1-252f-424b-b52d-5cdd9814987f',
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather in Boston?' },
            { type: 'image_url', image_url: { url: 'https://example.com/sky.png', detail: 'low' } },
          ],
        },
      ],
      tools: [
        {
          type: 'function',
          function: { name: 'get_current_weather', parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] } },
        },
      ],
      tool_choice_option: 'required',
      max_tokens: 200,
      stop: ['END'],
      seed: 3,
    });
    expect(result.warnings).toEqual([
      'watsonx chat takes text and images; 1 other content part(s) were not sent',
      'watsonx does not support parallel_tool_calls; it was not sent',
      "watsonx: The value of 'max_tokens' for this model was set to value 1024",
    ]);
    expect(result.model).toBe('meta-llama/llama-3-3-70b-instruct');
    expect(result.choices[0]).toMatchObject({
      message: { content: null, toolCalls: [{ id: 'chatcmpl-tool-ef093f0cbbff4c6a973aa0873f73fc99', function: { name: 'get_current_weather' } }] },
      finishReason: { unified: 'tool_calls', raw: 'stop' },
    });
    expect(result.usage).toMatchObject({ inputTokens: { total: 19 }, outputTokens: { total: 18 }, raw: { total_tokens: 37 } });
  });

  it('reuses the IAM token until shortly before it expires', async () => {
    answer = (_request, response) => sendJson(response, 200, json('chat-tool-call.json'));
    const target = deployment();
    await Promise.all([adapter.chat(call({}, target)), adapter.chat(call({}, target))]);
    await adapter.chat(call({}, target));
    expect(iamRequests()).toHaveLength(1);

    iamExpiration = Math.floor(Date.now() / 1000) + 30;
    const shortLived = deployment({ apiKey: 'short-lived-key' });
    await adapter.chat(call({}, shortLived));
    await adapter.chat(call({}, shortLived));
    expect(iamRequests()).toHaveLength(3);
  });

  it('exchanges the key again and retries once when watsonx refuses a cached token', async () => {
    let refused = false;
    answer = (_request, response) => {
      if (!refused) {
        refused = true;
        sendJson(response, 401, { errors: [{ code: 'authentication_token_expired', message: 'Failed to authenticate the request due to an expired token' }], status_code: 401 });
        return;
      }
      sendJson(response, 200, json('chat-tool-call.json'));
    };
    const result = await adapter.chat(call());
    expect(result.choices).toHaveLength(1);
    expect(iamRequests()).toHaveLength(2);
    expect(apiRequests()).toHaveLength(2);
  });

  it('uses watsonx_token as the bearer, a space, a named tool choice and deployed models', async () => {
    answer = (_request, response) => sendJson(response, 200, json('chat-tool-call.json'));
    const direct = { watsonx_token: 'direct-token', watsonx_project_id: undefined, watsonx_space_id: 'space-1' };
    await adapter.chat(call({ tool_choice: { type: 'function', function: { name: 'get_current_weather' } } }, deployment({ apiVersion: '2025-04-23' }, direct)));
    await adapter.chat(call({}, deployment({ upstreamModel: 'deployment/0f4a7c21-weather' }, direct)));
    expect(iamRequests()).toHaveLength(0);
    const [named, deployed] = apiRequests();
    expect(named.url).toBe('/ml/v1/text/chat?version=2025-04-23');
    expect(named.headers.authorization).toBe('Bearer direct-token');
    expect(named.json).toMatchObject({ model_id: 'meta-llama/llama-3-3-70b-instruct', space_id: 'space-1', tool_choice: { type: 'function', function: { name: 'get_current_weather' } } });
    expect(deployed.url).toBe('/ml/v1/deployments/0f4a7c21-weather/text/chat?version=2024-05-31');
    expect(deployed.json).not.toHaveProperty('model_id');
    expect(deployed.json).not.toHaveProperty('space_id');
  });

  it('streams tool calls with ids and without empty names, finishing with tool_calls, warnings after the metadata', async () => {
    answer = (_request, response) => sendSse(response, [fixture('stream-tool-calls.sse')]);
    const parts = await collect(await adapter.chatStream(call({ stream: true })));
    expect(apiRequests()[0].url).toBe('/ml/v1/text/chat_stream?version=2024-05-31');
    expect(parts[0]).toMatchObject({ type: 'response-metadata', id: 'chatcmpl-75021362a9edcdacca7976b97cc20f0d', model: 'meta-llama/llama-4-maverick-17b-128e-instruct-fp8' });
    expect(parts[1]).toEqual({ type: 'warning', message: "watsonx: The value of 'max_completion_tokens' for this model was set to value 1024" });
    expect(parts.filter((part) => part.type === 'tool-call-delta')).toEqual([
      { type: 'tool-call-delta', index: 0, toolCallIndex: 0, id: 'chatcmpl-75021362a9edcdacca7976b97cc20f0d-call-0', name: 'sum', argumentsDelta: '{"' },
      { type: 'tool-call-delta', index: 0, toolCallIndex: 0, id: undefined, name: undefined, argumentsDelta: 'firstNumber": 2, "secondNumber": 2}' },
      { type: 'tool-call-delta', index: 0, toolCallIndex: 1, id: 'chatcmpl-tool-f762db03c60f441dba57bab09552bb7b', name: 'subtraction', argumentsDelta: '' },
      { type: 'tool-call-delta', index: 0, toolCallIndex: 1, id: undefined, name: undefined, argumentsDelta: '{"firstNumber": 4, "secondNumber": 2}' },
    ]);
    expect(parts.find((part) => part.type === 'finish')).toEqual({ type: 'finish', index: 0, finishReason: { unified: 'tool_calls', raw: 'stop' } });
    expect(parts.at(-1)).toMatchObject({ type: 'usage', usage: { inputTokens: { total: 319 }, outputTokens: { total: 49 } } });
  });

  it('streams text to the end of the body without a [DONE] marker', async () => {
    answer = (_request, response) => sendSse(response, [fixture('stream-text.sse')]);
    const parts = await collect(await adapter.chatStream(call({ stream: true }, deployment({ upstreamModel: 'ibm/granite-3-3-8b-instruct' }))));
    expect(parts.flatMap((part) => (part.type === 'text-delta' ? [part.delta] : [])).join('')).toBe('Ciao');
    expect(parts.map((part) => part.type)).toEqual(['response-metadata', 'text-delta', 'text-delta', 'finish', 'usage']);
  });

  it('maps HTTP errors, IAM refusals and error events inside the stream', async () => {
    answer = (_request, response) => sendJson(response, 404, json('error-model-not-supported.json'));
    await expect(adapter.chat(call())).rejects.toMatchObject({
      code: 'not_found',
      status: 404,
      providerCode: 'model_not_supported',
      message: "watsonx error: Model 'ibm/granite-13b-chat-v1' is not supported",
    });

    answer = (_request, response) => sendJson(response, 429, { errors: [{ code: 'rate_limit_reached', message: 'Rate limit reached' }], status_code: 429 }, { 'retry-after': '5' });
    await expect(adapter.chatStream(call({ stream: true }))).rejects.toMatchObject({ code: 'rate_limited', isRetryable: true, retryAfterSeconds: 5 });

    fake.setHandler((request, response) =>
      request.url === '/identity/token'
        ? sendJson(response, 400, { errorCode: 'BXNIM0415E', errorMessage: 'Provided API key could not be found.' })
        : sendJson(response, 500, {}),
    );
    const refused = adapter.chat(call({}, deployment({ apiKey: 'unknown-key' })));
    await expect(refused).rejects.toMatchObject({ code: 'authentication', status: 401, isRetryable: false, providerCode: 'BXNIM0415E' });
    await expect(refused).rejects.not.toMatchObject({ message: expect.stringContaining('unknown-key') });
    fake.setHandler((request, response) => (request.url === '/identity/token' ? sendJson(response, 200, json('iam-token.json')) : answer(request, response)));

    const [first] = fixture('stream-text.sse').split('\n\n');
    answer = (_request, response) =>
      sendSse(response, [`${first}\n\n`, 'event: error\ndata: {"errors":[{"code":"downstream_request_failed","message":"Generation failed"}],"status_code":500}\n\n']);
    const parts = await collect(await adapter.chatStream(call({ stream: true })));
    expect(parts[0].type).toBe('response-metadata');
    expect(parts.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_error', retryable: true, providerCode: 'downstream_request_failed' } });
  });

  it('refuses a deployment without project or space before calling', async () => {
    await expect(adapter.chat(call({}, deployment({}, { watsonx_project_id: undefined })))).rejects.toMatchObject({ code: 'invalid_request', isRetryable: false });
    expect(apiRequests()).toHaveLength(0);
  });

  it('embeds inputs with model and project and reads the input token count', async () => {
    answer = (_request, response) => sendJson(response, 200, json('embeddings.json'));
    const result = await adapter.embed({
      request: { model: 'watsonx/slate', input: ['first', 'second'], truncate_input_tokens: 512 },
      deployment: deployment({ upstreamModel: 'ibm/slate-30m-english-rtrvr' }),
      signal: new AbortController().signal,
      requestId: 'req-2',
    });
    const [sent] = apiRequests();
    expect(sent.url).toBe('/ml/v1/text/embeddings?version=2024-05-31');
    expect(sent.json).toEqual({
      inputs: ['first', 'second'],
      model_id: 'ibm/slate-30m-english-rtrvr',
      project_id: '63dc4cf1-252f-424b-b52d-5cdd9814987f',
      parameters: { truncate_input_tokens: 512 },
    });
    expect(result.embeddings).toEqual([
      [-0.006929283, -0.005336422, -0.024047505],
      [0.012634917, -0.041830748, 0.030912042],
    ]);
    expect(result.usage.inputTokens).toBe(11);
  });
});

describe('WatsonxAdapter registration', () => {
  it('is registered as watsonx', () => {
    expect(createProviderRegistry().get('watsonx')).toBeInstanceOf(WatsonxAdapter);
  });
});
