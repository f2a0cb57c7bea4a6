import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation, startFakeAnthropicUpstream, startSystem } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';

const anthropicKey = 'sk-ant-canary-upstream-4821';

describe('an Anthropic upstream through the gateway, with the openai and @anthropic-ai/sdk clients', () => {
  let isolation: Isolation;
  let upstream: FakeServer;
  let system: RunningSystem;
  let openai: OpenAI;
  let anthropic: Anthropic;

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startFakeAnthropicUpstream();
    const entry = (name: string, model: string) => `  - model_name: ${name}\n    litellm_params:\n      model: anthropic/${model}\n      api_base: ${upstream.url}\n      api_key: os.environ/ANTHROPIC_API_KEY\n`;
    system = await startSystem({
      isolation,
      config: `model_list:\n${entry('claude', 'claude-ok')}${entry('claude-tools', 'claude-tools')}${entry('claude-thinking', 'claude-thinking')}`,
      workers: [{ providers: 'anthropic', environment: { ANTHROPIC_API_KEY: anthropicKey } }],
    });
    openai = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: system.masterKey, maxRetries: 0 });
    anthropic = new Anthropic({ baseURL: system.baseUrl, apiKey: system.masterKey, maxRetries: 0 });
  });

  afterAll(async () => {
    await system?.stop();
    await upstream?.close();
    await isolation?.cleanup();
  });

  it('chat completions, streamed and not, with cache usage mapped to OpenAI fields', async () => {
    const answer = await openai.chat.completions.create({ model: 'claude', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }] });
    expect(answer.choices[0].message.content).toBe('Hello from Claude.');
    expect(answer.usage).toMatchObject({ prompt_tokens: 35, completion_tokens: 12, prompt_tokens_details: { cached_tokens: 10 } });
    expect(upstream.requests.at(-1)?.headers['x-api-key']).toBe(anthropicKey);
    const stream = await openai.chat.completions.create({ model: 'claude', stream: true, messages: [{ role: 'user', content: 'Hi' }] });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Hello from Claude.');
  });

  it('tool calls, streamed, as OpenAI tool_calls', async () => {
    const stream = await openai.chat.completions.create({
      model: 'claude-tools',
      stream: true,
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
      messages: [{ role: 'user', content: 'Weather?' }],
    });
    let args = '';
    let name = '';
    let finish: string | null = null;
    for await (const chunk of stream) {
      const call = chunk.choices[0]?.delta.tool_calls?.[0];
      name ||= call?.function?.name ?? '';
      args += call?.function?.arguments ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect({ name, args, finish }).toEqual({ name: 'get_weather', args: '{"city":"Paris"}', finish: 'tool_calls' });
  });

  it('the Messages API: text, thinking with its signature, tool use', async () => {
    const message = await anthropic.messages.create(
      { model: 'claude', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] },
      { headers: { 'anthropic-beta': 'prompt-caching-2024-07-31' } },
    );
    expect(upstream.requests.at(-1)?.headers['anthropic-beta']).toBe('prompt-caching-2024-07-31');
    expect(message.content).toEqual([{ type: 'text', text: 'Hello from Claude.' }]);
    expect(message.usage).toMatchObject({ input_tokens: 20, cache_read_input_tokens: 10, cache_creation_input_tokens: 5, output_tokens: 12 });
    const thinking = await anthropic.messages.stream({ model: 'claude-thinking', max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'Hi' }] }).finalMessage();
    expect(thinking.content[0]).toMatchObject({ type: 'thinking', thinking: 'Let me think.', signature: 'sig-abc' });
    const sent = upstream.requests.at(-1)?.json as { thinking?: unknown };
    expect(sent.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    const tools = await anthropic.messages.stream({ model: 'claude-tools', max_tokens: 100, tools: [{ name: 'get_weather', input_schema: { type: 'object' } }], messages: [{ role: 'user', content: 'Weather?' }] }).finalMessage();
    expect(tools.content).toEqual([{ type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { city: 'Paris' } }]);
  });

  it('the Responses API, streamed and chained', async () => {
    const stream = openai.responses.stream({ model: 'claude', input: 'Hi' });
    const first = await stream.finalResponse();
    expect(first.output_text).toBe('Hello from Claude.');
    const second = await openai.responses.create({ model: 'claude', input: 'Again', previous_response_id: first.id });
    expect(second.output_text).toBe('Hello from Claude.');
    const sent = upstream.requests.at(-1)?.json as { messages: Array<{ role: string }> };
    expect(sent.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
  });
});
