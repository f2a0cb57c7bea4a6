import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '@switchboard/spec';
import { convertToCohereRequest } from './convert-to-cohere-request';

const base: ChatRequest = {
  model: 'cohere/command-a',
  messages: [{ role: 'user', content: 'Hi' }],
  tools: [
    { type: 'function', function: { name: 'a' } },
    { type: 'function', function: { name: 'b', strict: true } },
  ],
};

describe('convertToCohereRequest', () => {
  it.each([
    ['auto', undefined, ['a', 'b']],
    ['none', 'NONE', ['a', 'b']],
    ['required', 'REQUIRED', ['a', 'b']],
    [{ type: 'function', function: { name: 'b' } }, 'REQUIRED', ['b']],
  ] as const)('tool_choice %j -> %s offering %j', (choice, cohereChoice, offered) => {
    const { body } = convertToCohereRequest({ ...base, tool_choice: choice }, 'command-a', false);
    expect(body.tool_choice).toBe(cohereChoice);
    expect(body.tools?.map((tool) => tool.function.name)).toEqual(offered);
    expect(body.strict_tools).toBe(true);
  });

  it.each([
    [{ thinking: { type: 'enabled', budget_tokens: 2048 } }, { type: 'enabled', token_budget: 2048 }],
    [{ thinking: { type: 'disabled' } }, { type: 'disabled' }],
    [{ reasoning_effort: 'none' }, { type: 'disabled' }],
    [{ reasoning_effort: 'low' }, { type: 'enabled' }],
    [{}, undefined],
  ] as const)('reasoning %j -> thinking %j', (fields, thinking) => {
    expect(convertToCohereRequest({ ...base, ...fields }, 'command-a', false).body.thinking).toEqual(thinking);
  });

  it.each([
    [{ type: 'json_object' }, { type: 'json_object' }],
    [{ type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' } } }, { type: 'json_object', json_schema: { type: 'object' } }],
    [{ type: 'text' }, undefined],
  ] as const)('response_format %j -> %j', (format, expected) => {
    expect(convertToCohereRequest({ ...base, response_format: format }, 'command-a', false).body.response_format).toEqual(expected);
  });

  it('warns about what Cohere cannot do instead of failing', () => {
    const { body, warnings } = convertToCohereRequest(
      { ...base, logit_bias: { '1': 2 }, n: 2, messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }] }] },
      'command-a',
      false,
    );
    expect(body).not.toHaveProperty('logit_bias');
    expect(warnings).toEqual([
      'cohere does not accept input_audio content; that part was not sent',
      'cohere returns one choice; n was ignored',
      'cohere does not support logit_bias; it was not sent',
    ]);
  });
});
