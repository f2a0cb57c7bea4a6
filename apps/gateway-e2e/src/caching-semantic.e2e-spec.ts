import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation, readUsageEvents, sendJson, startFakeServer, startSystem } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';

const dimensions = 256;

/** A bag-of-words embedding: prompts sharing most words are close, unrelated ones far apart. */
function embed(text: string): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
    vector[createHash('sha256').update(word).digest().readUInt16BE(0) % dimensions] += 1;
  }
  return vector;
}

/** An OpenAI-shaped upstream: chat answers name the question's number; embeddings are bags of words. */
async function startSemanticUpstream(): Promise<FakeServer> {
  let answers = 0;
  return startFakeServer((request, response) => {
    const body = (request.json ?? {}) as { input?: string | string[]; messages?: Array<{ content: string }> };
    if (request.url.endsWith('/embeddings')) {
      const inputs = Array.isArray(body.input) ? body.input : [body.input ?? ''];
      return sendJson(response, 200, {
        object: 'list',
        data: inputs.map((input, index) => ({ object: 'embedding', index, embedding: embed(input) })),
        model: 'bag-of-words',
        usage: { prompt_tokens: 9, total_tokens: 9 },
      });
    }
    answers += 1;
    return sendJson(response, 200, {
      id: `chatcmpl-${answers}`,
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'semantic-model',
      choices: [{ index: 0, message: { role: 'assistant', content: `answer ${answers}` }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
    });
  });
}

describe('semantic cache (redis-semantic): paraphrases hit, other prompts miss, embeddings billed', () => {
  let isolation: Isolation;
  let upstream: FakeServer;
  let system: RunningSystem;

  beforeAll(async () => {
    isolation = await createIsolation();
    upstream = await startSemanticUpstream();
    system = await startSystem({
      isolation,
      config: `model_list:
  - model_name: chat
    litellm_params:
      model: openai/semantic-model
      api_base: ${upstream.url}/v1
      api_key: sk-fake
  - model_name: embedder
    litellm_params:
      model: openai/bag-of-words
      api_base: ${upstream.url}/v1
      api_key: sk-fake
litellm_settings:
  cache: true
  cache_params:
    type: redis-semantic
    similarity_threshold: 0.8
    redis_semantic_cache_embedding_model: embedder
    scope: global
`,
      workers: [{ providers: 'openai' }],
      gatewayEnvironment: { CACHE_LOOKUP_TIMEOUT_MS: '250' },
    });
  });

  afterAll(async () => {
    await system?.stop();
    await upstream?.close();
    await isolation?.cleanup();
  });

  const chatCalls = () => upstream.requests.filter((request) => request.url.endsWith('/chat/completions')).length;
  const ask = async (baseUrl: string, content: string) => {
    const response = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${system.masterKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content }] }),
    });
    const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
    return { text: body.choices[0].message.content, headers: response.headers };
  };

  it('a paraphrase above the threshold is answered from the cache; a different question is not', async () => {
    const before = chatCalls();
    const first = await ask(system.baseUrl, 'What is the capital city of France?');
    expect(first.headers.get('x-litellm-cache-hit')).toBe('False');

    // Bag-of-words cosine of these two prompts is 0.89: above 0.8.
    const paraphrase = await ask(system.baseUrl, 'Tell me: what is the capital city of France?');
    expect(paraphrase.headers.get('x-litellm-cache-hit')).toBe('True');
    expect(paraphrase.text).toBe(first.text);
    expect(Number(paraphrase.headers.get('x-litellm-semantic-similarity'))).toBeGreaterThanOrEqual(0.8);
    expect(paraphrase.headers.get('x-litellm-cache-key')).toBe(first.headers.get('x-litellm-cache-key'));

    const other = await ask(system.baseUrl, 'How do I bake sourdough bread at home?');
    expect(other.headers.get('x-litellm-cache-hit')).toBe('False');
    expect(other.text).not.toBe(first.text);
    expect(chatCalls() - before).toBe(2);

    // Another gateway instance finds the entries in the shared index.
    const second = await system.startGateway({ CACHE_LOOKUP_TIMEOUT_MS: '250' });
    const elsewhere = await ask(second.baseUrl, 'Please tell me what is the capital city of France');
    expect(elsewhere.headers.get('x-litellm-cache-hit')).toBe('True');
    expect(elsewhere.text).toBe(first.text);
    expect(chatCalls() - before).toBe(2);
    await second.process.stop();

    // Every lookup embedded its prompt through a worker, and each embedding is its own billed usage event.
    const requestId = paraphrase.headers.get('x-request-id') ?? '';
    const deadline = Date.now() + 10_000;
    let events = await readUsageEvents(isolation);
    while (!events.some((stored) => stored.event.requestId === `${requestId}-semantic`) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      events = await readUsageEvents(isolation);
    }
    const embedding = events.find((stored) => stored.event.requestId === `${requestId}-semantic`)?.event;
    expect(embedding).toMatchObject({ callType: 'embedding', modelGroup: 'embedder', status: 'success' });
    expect(embedding?.usage.inputTokens.total).toBe(9);
    const hit = events.find((stored) => stored.event.requestId === requestId)?.event;
    expect(hit).toMatchObject({ cacheHit: true, modelGroup: 'chat' });
    expect(upstream.requests.filter((request) => request.url.endsWith('/embeddings')).length).toBeGreaterThanOrEqual(4);
  });
});
