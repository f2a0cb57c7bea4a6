import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '@switchboard/spec';
import { convertToAlephAlphaChatRequest, convertToAlephAlphaCompleteRequest } from './convert-to-aleph-alpha-request';

type Messages = ChatRequest['messages'];
const request = (messages: Messages): ChatRequest => ({ model: 'aleph_alpha/x', messages });

describe('convertToAlephAlphaChatRequest', () => {
  it.each<[string, Messages, Array<{ role: string; content: string }>]>([
    ['keeps a plain exchange', [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'user', content: 'c' }], [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'user', content: 'c' }]],
    ['moves and joins system messages to the start', [{ role: 'user', content: 'a' }, { role: 'developer', content: 's1' }, { role: 'system', content: 's2' }], [{ role: 'system', content: 's1\n\ns2' }, { role: 'user', content: 'a' }]],
    ['joins consecutive user messages', [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }], [{ role: 'user', content: 'a\n\nb' }]],
    ['sends tool results as user text', [{ role: 'user', content: 'a' }, { role: 'assistant', content: null, tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{}' } }] }, { role: 'tool', tool_call_id: 't', content: '7' }], [{ role: 'user', content: 'a\n\nTool result: 7' }]],
  ])('%s', (_name, messages, expected) => {
    expect(convertToAlephAlphaChatRequest(request(messages)).request.messages).toEqual(expected);
  });
});

describe('convertToAlephAlphaCompleteRequest', () => {
  it.each<[Partial<ChatRequest>, Record<string, unknown>]>([
    [{}, { stop_sequences: ['\n\nUser:'] }],
    [{ max_completion_tokens: 9, max_tokens: 3 }, { maximum_tokens: 9 }],
    [{ stop: ['a', 'b'], n: 2 }, { stop_sequences: ['a', 'b', '\n\nUser:'], n: 2 }],
  ])('%j -> %j', (fields, expected) => {
    const { body } = convertToAlephAlphaCompleteRequest({ ...request([{ role: 'user', content: 'q' }]), ...fields }, 'luminous-base', false);
    expect(body).toMatchObject({ model: 'luminous-base', prompt: 'User: q\n\nAssistant:', ...expected });
  });
});
