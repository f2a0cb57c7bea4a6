import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation, fakeAnswer, startFakeOpenAiUpstream, startSystem } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';

const config = (upstream: string) => `model_list:
  - model_name: ok
    litellm_params:
      model: openai/ok
      api_base: ${upstream}/v1
      api_key: sk-upstream
general_settings:
  store_prompts_in_spend_logs: true
`;

interface Row {
  request_id: string;
  messages: Array<{ role: string; content: string }> | null;
  response: string | null;
}

describe('store_prompts_in_spend_logs', () => {
  let isolation: Isolation;
  let upstream: FakeServer;
  let system: RunningSystem;

  const rowFor = async (requestId: string): Promise<Row | undefined> => {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const response = await fetch(`${system.baseUrl}/spend/logs?request_id=${requestId}`, { headers: { authorization: `Bearer ${system.masterKey}` } });
      const rows = (await response.json()) as Row[];
      if (rows.length) return rows[0];
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return undefined;
  };

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startFakeOpenAiUpstream();
    system = await startSystem({ isolation, config: config(upstream.url), workers: [{ providers: 'openai' }], budget: true });
  });

  afterAll(async () => {
    await system?.stop();
    await upstream?.close();
    await isolation?.cleanup();
  });

  it('keeps the messages and the answer of streamed and plain requests, with credentials masked', async () => {
    const client = new OpenAI({ baseURL: `${system.baseUrl}/v1`, apiKey: system.masterKey, maxRetries: 0 });
    const secret = 'sk-proj-pastedbyaccident0123456789';
    const { response } = await client.chat.completions.create({ model: 'ok', messages: [{ role: 'user', content: `summarise; my key is ${secret}` }] }).withResponse();
    const plain = await rowFor(response.headers.get('x-request-id') ?? '');
    expect(plain?.messages).toEqual([{ role: 'user', content: 'summarise; my key is [REDACTED]' }]);
    expect(plain?.response).toBe(fakeAnswer.join(''));
    expect(JSON.stringify(plain)).not.toContain(secret);

    const { data: stream, response: streamed } = await client.chat.completions.create({ model: 'ok', stream: true, messages: [{ role: 'user', content: 'stream it' }] }).withResponse();
    for await (const chunk of stream) void chunk;
    const row = await rowFor(streamed.headers.get('x-request-id') ?? '');
    expect(row?.messages).toEqual([{ role: 'user', content: 'stream it' }]);
    expect(row?.response).toBe(fakeAnswer.join(''));
  });
});
