import { describe, expect, it } from 'vitest';
import { SwitchboardError } from '@switchboard/spec';
import { parseChatRequest, parseEmbeddingRequest } from './parse-request';

function paramOf(body: unknown): string | null {
  try {
    parseChatRequest(body);
  } catch (error) {
    if (error instanceof SwitchboardError) return error.param;
    throw error;
  }
  return 'accepted';
}

describe('parseChatRequest', () => {
  it('keeps fields it does not know, for providers that do', () => {
    const request = parseChatRequest({ model: 'm', messages: [{ role: 'user', content: 'x' }], top_k: 5, extra_body: { a: 1 } });
    expect(request.top_k).toBe(5);
  });

  it.each([
    [{ messages: [{ role: 'user', content: 'x' }] }, 'model'],
    [{ model: 'm' }, 'messages'],
    [{ model: 'm', messages: [] }, 'messages'],
    [{ model: 'm', messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role'],
    [{ model: 'm', messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id'],
    [{ model: 'm', messages: [{ role: 'user', content: 'x' }], temperature: 3 }, 'temperature'],
    [{ model: 'm', messages: [{ role: 'user', content: 'x' }], max_tokens: 0 }, 'max_tokens'],
    [{ model: 'm', messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: { name: 'bad name!' } }] }, 'tools[0].function.name'],
    [{ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: 'yes' }, 'stream'],
  ])('names the invalid field of %j', (body, param) => {
    expect(paramOf(body)).toBe(param);
  });

  it.each(['api_base', 'base_url', 'api_key', 'custom_llm_provider', 'extra_headers'])('refuses a client-chosen %s (no SSRF, no key exfiltration)', (field) => {
    expect(paramOf({ model: 'm', messages: [{ role: 'user', content: 'x' }], [field]: 'http://127.0.0.1:9' })).toBe(field);
  });

  it('refuses a body that is not an object', () => {
    expect(() => parseChatRequest([1, 2])).toThrow(/JSON object/);
  });
});

describe('parseEmbeddingRequest', () => {
  it('accepts strings and token arrays and refuses an empty list', () => {
    expect(parseEmbeddingRequest({ model: 'e', input: ['a', 'b'] }).input).toEqual(['a', 'b']);
    expect(parseEmbeddingRequest({ model: 'e', input: [1, 2, 3] }).input).toEqual([1, 2, 3]);
    expect(() => parseEmbeddingRequest({ model: 'e', input: [] })).toThrow(SwitchboardError);
  });
});
