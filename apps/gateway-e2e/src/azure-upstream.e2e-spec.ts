import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation, fakeAnswer, startFakeOpenAiUpstream, startSystem } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';

describe('an Azure OpenAI deployment through the gateway (official openai client)', () => {
  let isolation: Isolation;
  let upstream: FakeServer;
  let system: RunningSystem;
  let client: OpenAI;

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startFakeOpenAiUpstream();
    const entry = (name: string, deployment: string) =>
      `  - model_name: ${name}\n    litellm_params:\n      model: azure/${deployment}\n      api_base: ${upstream.url}\n      api_key: os.environ/AZURE_API_KEY\n      api_version: "2024-10-21"\n`;
    system = await startSystem({
      isolation,
      config: `model_list:\n${entry('gpt-4o-azure', 'ok')}${entry('gpt-4o-azure-tools', 'tools')}`,
      workers: [{ providers: 'azure', environment: { AZURE_API_KEY: 'azure-canary-key-77' } }],
    });
    client = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: system.masterKey, maxRetries: 0 });
  });

  afterAll(async () => {
    await system?.stop();
    await upstream?.close();
    await isolation?.cleanup();
  });

  it('answers streamed and not, through the deployment URL with api-key', async () => {
    const answer = await client.chat.completions.create({ model: 'gpt-4o-azure', messages: [{ role: 'user', content: 'Hi' }] });
    expect(answer.choices[0].message.content).toBe(fakeAnswer.join(''));
    expect(upstream.requests.at(-1)?.url).toBe('/openai/deployments/ok/chat/completions?api-version=2024-10-21');
    expect(upstream.requests.at(-1)?.headers['api-key']).toBe('azure-canary-key-77');
    const stream = await client.chat.completions.create({ model: 'gpt-4o-azure', stream: true, messages: [{ role: 'user', content: 'Hi' }] });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe(fakeAnswer.join(''));
  });

  it('streams tool calls', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-azure-tools',
      stream: true,
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
      messages: [{ role: 'user', content: 'Weather?' }],
    });
    const ids = new Set<string>();
    for await (const chunk of stream) for (const call of chunk.choices[0]?.delta.tool_calls ?? []) if (call.id) ids.add(call.id);
    expect(ids).toEqual(new Set(['call_1', 'call_2']));
  });
});
