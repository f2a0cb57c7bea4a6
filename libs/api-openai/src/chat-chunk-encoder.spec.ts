import { describe, expect, it } from 'vitest';
import type { StreamPart, Usage } from '@switchboard/spec';
import { ChatChunkEncoder } from './chat-chunk-encoder';

const usage: Usage = {
  inputTokens: { total: 10, noCache: 6, cacheRead: 4, cacheWrite: 0 },
  outputTokens: { total: 5, text: 3, reasoning: 2 },
};

function frames(text: string): Array<Record<string, unknown> | string> {
  return text
    .trim()
    .split('\n\n')
    .map((frame) => frame.replace(/^data: /, ''))
    .map((data) => (data === '[DONE]' ? data : (JSON.parse(data) as Record<string, unknown>)));
}

describe('ChatChunkEncoder', () => {
  const parts: StreamPart[] = [
    { type: 'response-metadata', id: 'chatcmpl-1', model: 'gpt-4o-2024', created: 123 },
    { type: 'text-delta', index: 0, delta: 'Hel' },
    { type: 'text-delta', index: 0, delta: 'lo' },
    { type: 'tool-call-delta', index: 0, toolCallIndex: 0, id: 'call_1', name: 'f', argumentsDelta: '' },
    { type: 'tool-call-delta', index: 0, toolCallIndex: 0, argumentsDelta: '{}' },
    { type: 'finish', index: 0, finishReason: { unified: 'tool_calls', raw: 'tool_use' } },
    { type: 'usage', usage },
  ];

  it('encodes OpenAI chunks: role on the first delta, ids from the upstream, usage chunk last', () => {
    const encoder = new ChatChunkEncoder({ fallbackId: 'chatcmpl-x', fallbackModel: 'm', includeUsage: true });
    const output = frames(encoder.encode(parts) + encoder.finish());
    expect(output.at(-1)).toBe('[DONE]');
    const chunks = output.slice(0, -1) as Array<{ id: string; model: string; choices: Array<Record<string, unknown>>; usage: unknown }>;
    expect(chunks[0]).toMatchObject({ id: 'chatcmpl-1', model: 'gpt-4o-2024', usage: null });
    expect(chunks[0].choices[0]).toMatchObject({ delta: { role: 'assistant', content: 'Hel' }, finish_reason: null });
    expect(chunks[1].choices[0].delta).toEqual({ content: 'lo' });
    expect(chunks[2].choices[0].delta).toEqual({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '' } }] });
    expect(chunks[4].choices[0]).toMatchObject({ delta: {}, finish_reason: 'tool_calls' });
    expect(chunks[5]).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 2 } },
    });
  });

  it('leaves usage out entirely unless the client asked for it', () => {
    const encoder = new ChatChunkEncoder({ fallbackId: 'chatcmpl-x', fallbackModel: 'm', includeUsage: false });
    const text = encoder.encode(parts) + encoder.finish();
    expect(text).not.toContain('usage');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('uses the fallback id and model when the provider names none', () => {
    const encoder = new ChatChunkEncoder({ fallbackId: 'chatcmpl-req_1', fallbackModel: 'my-group', includeUsage: false });
    const [first] = frames(encoder.encode([{ type: 'text-delta', index: 0, delta: 'x' }])) as Array<{ id: string; model: string }>;
    expect(first).toMatchObject({ id: 'chatcmpl-req_1', model: 'my-group' });
  });
});
