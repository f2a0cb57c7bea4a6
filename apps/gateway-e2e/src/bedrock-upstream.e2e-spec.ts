import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation, startFakeBedrockUpstream, startSystem } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';

describe('a Bedrock deployment through the gateway (official openai client)', () => {
  let isolation: Isolation;
  let upstream: FakeServer;
  let system: RunningSystem;
  let client: OpenAI;

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startFakeBedrockUpstream();
    const entry = (name: string, model: string) =>
      `  - model_name: ${name}\n    litellm_params:\n      model: bedrock/${model}\n      api_base: ${upstream.url}\n      aws_access_key_id: os.environ/AWS_ACCESS_KEY_ID\n      aws_secret_access_key: os.environ/AWS_SECRET_ACCESS_KEY\n      aws_region_name: us-east-1\n`;
    system = await startSystem({
      isolation,
      config: `model_list:\n${entry('claude-bedrock', 'anthropic.claude-3-5-sonnet-20240620-v1:0')}${entry('bedrock-tools', 'anthropic.claude-tools-v1:0')}`,
      workers: [{ providers: 'bedrock', environment: { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE123456789', AWS_SECRET_ACCESS_KEY: 'bedrock-canary-secret' } }],
    });
    client = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: system.masterKey, maxRetries: 0 });
  });

  afterAll(async () => {
    await system?.stop();
    await upstream?.close();
    await isolation?.cleanup();
  });

  it('answers streamed and not, signed with SigV4, usage with cache reads', async () => {
    const answer = await client.chat.completions.create({ model: 'claude-bedrock', messages: [{ role: 'user', content: 'Hi' }] });
    expect(answer.choices[0].message.content).toBe('Hello from Bedrock.');
    expect(answer.usage).toMatchObject({ prompt_tokens: 36, completion_tokens: 9, prompt_tokens_details: { cached_tokens: 6 } });
    expect(upstream.requests.at(-1)?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE123456789\//);
    const stream = await client.chat.completions.create({ model: 'claude-bedrock', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Hi' }] });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Hello from Bedrock.');
  });

  it('tool calls, streamed and not', async () => {
    const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object' } } }];
    const answer = await client.chat.completions.create({ model: 'bedrock-tools', tools, messages: [{ role: 'user', content: 'Weather?' }] });
    expect(answer.choices[0]).toMatchObject({ finish_reason: 'tool_calls', message: { tool_calls: [{ id: 'tooluse_1', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] } });
    const stream = await client.chat.completions.create({ model: 'bedrock-tools', stream: true, tools, messages: [{ role: 'user', content: 'Weather?' }] });
    let args = '';
    for await (const chunk of stream) args += chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? '';
    expect(args).toBe('{"city":"Paris"}');
  });
});
