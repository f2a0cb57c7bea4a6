import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation, fakeAnswer, startFakeOpenAiUpstream, startSystem } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';
import { fakeUpstreamConfig, upstreamKey } from './e2e-config';

describe('the Responses API with sessions (official openai client)', () => {
  let isolation: Isolation;
  let upstream: FakeServer;
  let system: RunningSystem;
  let client: OpenAI;

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startFakeOpenAiUpstream();
    system = await startSystem({
      isolation,
      config: fakeUpstreamConfig(upstream.url),
      workers: [{ providers: 'openai,mock', environment: { FAKE_UPSTREAM_KEY: upstreamKey } }],
    });
    client = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: system.masterKey, maxRetries: 0 });
  });

  afterAll(async () => {
    await system?.stop();
    await upstream?.close();
    await isolation?.cleanup();
  });

  it('responses.create answers from the mock provider and an OpenAI-compatible upstream', async () => {
    const mock = await client.responses.create({ model: 'mock-gpt', input: 'Hello' });
    expect(mock.output_text).toContain('mock provider');
    const fake = await client.responses.create({ model: 'fake-ok', instructions: 'Be brief.', input: 'Hi', max_output_tokens: 50 });
    expect(fake.output_text).toBe(fakeAnswer.join(''));
    expect(fake.usage).toMatchObject({ input_tokens: 11, output_tokens: 7, input_tokens_details: { cached_tokens: 3 }, output_tokens_details: { reasoning_tokens: 2 } });
    expect(upstream.requests.at(-1)?.json).toMatchObject({ max_tokens: 50, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }] });
  });

  it('a three-turn conversation chained by previous_response_id, the first turn streamed; ids agree everywhere', async () => {
    const stream = client.responses.stream({ model: 'fake-ok', input: 'Turn one' });
    const ids = new Set<string>();
    const sequence: number[] = [];
    for await (const event of stream) {
      sequence.push(event.sequence_number);
      if ('response' in event) ids.add(event.response.id);
      if (event.type === 'response.output_text.delta') expect(event.delta).toBeTypeOf('string');
    }
    const first = await stream.finalResponse();
    ids.add(first.id);
    expect(ids.size).toBe(1);
    expect(sequence).toEqual(sequence.map((_, index) => index));
    expect(first.output_text).toBe(fakeAnswer.join(''));
    expect((await client.responses.retrieve(first.id)).id).toBe(first.id);

    const second = await client.responses.create({ model: 'fake-ok', input: 'Turn two', previous_response_id: first.id });
    const third = await client.responses.create({ model: 'fake-ok', input: 'Turn three', previous_response_id: second.id, instructions: 'Be kind.' });
    expect(third.previous_response_id).toBe(second.id);
    const sent = upstream.requests.at(-1)?.json as { messages: Array<{ role: string; content: unknown }> };
    expect(sent.messages).toEqual([
      { role: 'system', content: 'Be kind.' },
      { role: 'user', content: 'Turn one' },
      { role: 'assistant', content: fakeAnswer.join('') },
      { role: 'user', content: 'Turn two' },
      { role: 'assistant', content: fakeAnswer.join('') },
      { role: 'user', content: 'Turn three' },
    ]);
    const items = await client.responses.inputItems.list(third.id);
    expect(items.data).toHaveLength(1);
  });

  it('streams function calls and accepts their outputs back', async () => {
    const stream = client.responses.stream({
      model: 'fake-tools',
      input: 'Weather?',
      tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object', properties: {} }, strict: false }],
    });
    const final = await stream.finalResponse();
    const calls = final.output.filter((item) => item.type === 'function_call');
    expect(calls.map((call) => (call.type === 'function_call' ? [call.call_id, call.arguments] : []))).toEqual([
      ['call_1', '{"city":"Paris"}'],
      ['call_2', '{"city":"Oslo"}'],
    ]);
    await client.responses.create({
      model: 'fake-ok',
      previous_response_id: final.id,
      input: [{ type: 'function_call_output', call_id: 'call_1', output: 'Sunny' }],
    });
    const sent = upstream.requests.at(-1)?.json as { messages: Array<Record<string, unknown>> };
    expect(sent.messages.at(-2)).toMatchObject({ role: 'assistant', tool_calls: [{ id: 'call_1' }, { id: 'call_2' }] });
    expect(sent.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_1', content: 'Sunny' });
  });

  it('honours store: false, and delete removes a response', async () => {
    const unstored = await client.responses.create({ model: 'mock-gpt', input: 'x', store: false });
    await expect(client.responses.retrieve(unstored.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(client.responses.create({ model: 'mock-gpt', input: 'y', previous_response_id: unstored.id })).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const stored = await client.responses.create({ model: 'mock-gpt', input: 'z' });
    const deleted = await client.responses.delete(stored.id).then(() => true);
    expect(deleted).toBe(true);
    await expect(client.responses.retrieve(stored.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('another key cannot read or continue the conversation', async () => {
    const stored = await client.responses.create({ model: 'mock-gpt', input: 'mine' });
    const second = await system.startGateway({ MASTER_KEY: 'sk-another-tenant-master' });
    const other = new OpenAI({ baseURL: `${second.baseUrl}/v1`, apiKey: 'sk-another-tenant-master', maxRetries: 0 });
    // Same id, same database, a different key: the response does not exist for it.
    await expect(other.responses.retrieve(stored.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(other.responses.create({ model: 'mock-gpt', input: 'theirs', previous_response_id: stored.id })).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(other.responses.delete(stored.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await second.process.stop();
    expect((await client.responses.retrieve(stored.id)).id).toBe(stored.id);
  });
});
