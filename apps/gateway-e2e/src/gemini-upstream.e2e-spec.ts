import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation, startFakeGeminiUpstream, startSystem } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';

const geminiKey = 'AIzaSyCanaryKey-5d2e8f1a7b3c9d0e4f';

describe('a Gemini upstream through the gateway', () => {
  let isolation: Isolation;
  let upstream: FakeServer;
  let system: RunningSystem;
  let openai: OpenAI;

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startFakeGeminiUpstream();
    const entry = (name: string, model: string) => `  - model_name: ${name}\n    litellm_params:\n      model: gemini/${model}\n      api_base: ${upstream.url}\n      api_key: os.environ/GEMINI_API_KEY\n`;
    system = await startSystem({
      isolation,
      config: `model_list:\n${entry('gemini', 'gemini-ok')}${entry('gemini-tools', 'gemini-tools')}${entry('gemini-thinking', 'gemini-thinking')}`,
      workers: [{ providers: 'gemini', environment: { GEMINI_API_KEY: geminiKey } }],
    });
    openai = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: system.masterKey, maxRetries: 0 });
  });

  afterAll(async () => {
    await system?.stop();
    await upstream?.close();
    await isolation?.cleanup();
  });

  it('chat completions, streamed and not, with tools, and the key only in its header', async () => {
    const answer = await openai.chat.completions.create({ model: 'gemini', messages: [{ role: 'user', content: 'Hi' }] });
    expect(answer.choices[0].message.content).toBe('Hello from Gemini.');
    expect(answer.usage).toMatchObject({ prompt_tokens: 14, completion_tokens: 10, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 4 } });
    const stream = await openai.chat.completions.create({
      model: 'gemini-tools',
      stream: true,
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
      messages: [{ role: 'user', content: 'Weather?' }],
    });
    let args = '';
    let finish: string | null = null;
    for await (const chunk of stream) {
      args += chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect({ args, finish }).toEqual({ args: '{"city":"Paris"}', finish: 'tool_calls' });
    for (const request of upstream.requests) {
      expect(request.url).not.toContain(geminiKey);
      expect(request.headers['x-goog-api-key']).toBe(geminiKey);
    }
  });

  it('the Responses API, streamed then chained, with reasoning', async () => {
    const first = await openai.responses.stream({ model: 'gemini-thinking', input: 'Hi' }).finalResponse();
    expect(first.output_text).toBe('Hello from Gemini.');
    expect(first.output.some((item) => item.type === 'reasoning')).toBe(true);
    const second = await openai.responses.create({ model: 'gemini', input: 'Again', previous_response_id: first.id });
    expect(second.output_text).toBe('Hello from Gemini.');
    const sent = upstream.requests.at(-1)?.json as { contents: Array<{ role: string }> };
    expect(sent.contents.map((content) => content.role)).toEqual(['user', 'model', 'user']);
  });

  it('the Anthropic Messages API, translated for Gemini', async () => {
    const anthropic = new Anthropic({ baseURL: system.baseUrl, apiKey: system.masterKey, maxRetries: 0 });
    const message = await anthropic.messages.stream({ model: 'gemini', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] }).finalMessage();
    expect(message.content).toEqual([{ type: 'text', text: 'Hello from Gemini.' }]);
  });
});
