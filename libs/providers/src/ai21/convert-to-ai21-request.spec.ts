import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '@switchboard/spec';
import { convertToAi21Request } from './convert-to-ai21-request';

const base: ChatRequest = { model: 'ai21/jamba-mini', messages: [{ role: 'user', content: 'Hi' }] };

describe('convertToAi21Request', () => {
  it.each([
    [{ stop: 'END' }, { stop: ['END'] }],
    [{ stop: ['a', 'b'] }, { stop: ['a', 'b'] }],
    [{ response_format: { type: 'json_object' } }, { response_format: { type: 'json_object' } }],
    [{ response_format: { type: 'json_schema', json_schema: { name: 'n', schema: {} } } }, { response_format: { type: 'json_object' } }],
    [{ n: 2, top_p: 0.5 }, { n: 2, top_p: 0.5 }],
  ] as const)('%j -> %j', (fields, expected) => {
    expect(convertToAi21Request({ ...base, ...fields } as ChatRequest).request).toMatchObject(expected);
  });

  it.each(['tool_choice', 'seed', 'user', 'logprobs', 'presence_penalty', 'reasoning_effort'] as const)('drops %s with a warning', (field) => {
    const values = { tool_choice: 'auto', seed: 1, user: 'u', logprobs: true, presence_penalty: 0.5, reasoning_effort: 'low' } as const;
    const { request, warnings } = convertToAi21Request({ ...base, [field]: values[field] });
    expect(request).not.toHaveProperty(field);
    expect(warnings).toEqual([`ai21 does not support ${field}; it was not sent`]);
  });

  it.each([
    [{ role: 'developer', content: [{ type: 'text', text: 'Be kind.' }] }, { role: 'system', content: 'Be kind.' }],
    [{ role: 'assistant', content: null }, { role: 'assistant', content: '' }],
    [{ role: 'tool', tool_call_id: 't1', content: [{ type: 'text', text: '42' }] }, { role: 'tool', content: '42', tool_call_id: 't1' }],
    [{ role: 'function', name: 'calc', content: '42' }, { role: 'user', content: 'calc: 42' }],
  ] as const)('message %j -> %j', (message, expected) => {
    expect(convertToAi21Request({ ...base, messages: [message as ChatRequest['messages'][number]] }).request.messages).toEqual([expected]);
  });
});
