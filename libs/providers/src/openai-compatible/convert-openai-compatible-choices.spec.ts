import { describe, expect, it } from 'vitest';
import type { ChatResultChoice, ToolCall } from '@switchboard/spec';
import { convertOpenAiCompatibleChoices, convertOpenAiCompatibleToolCalls } from './convert-openai-compatible-choices';
import type { OpenAiChoice, OpenAiToolCall } from './openai-compatible-api-schemas';

describe('convertOpenAiCompatibleToolCalls', () => {
  it.each<[string, OpenAiToolCall[] | null | undefined, ToolCall[]]>([
    ['none for no calls', undefined, []],
    ['none for null', null, []],
    [
      'every field, empty where missing',
      [{ id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Bonn"}' } }, {}],
      [
        { id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Bonn"}' } },
        { id: '', type: 'function', function: { name: '', arguments: '' } },
      ],
    ],
  ])('gives %s', (_name, calls, expected) => {
    expect(convertOpenAiCompatibleToolCalls(calls)).toEqual(expected);
  });
});

describe('convertOpenAiCompatibleChoices', () => {
  it.each<[string, OpenAiChoice[], ChatResultChoice[]]>([
    [
      'text with its finish reason, indexed by position when the upstream gives no index',
      [{ message: { content: 'Hi' }, finish_reason: 'length' }, { message: { content: null } }],
      [
        { index: 0, message: { role: 'assistant', content: 'Hi' }, finishReason: { unified: 'length', raw: 'length' } },
        { index: 1, message: { role: 'assistant', content: null }, finishReason: { unified: 'stop', raw: null } },
      ],
    ],
    [
      'reasoning under either name, and tool calls',
      [
        { index: 3, message: { content: 'A', reasoning_content: 'thought' }, finish_reason: 'stop' },
        { index: 4, message: { content: null, reasoning: 'routed', tool_calls: [{ id: 'c1', function: { name: 'f', arguments: '{}' } }] }, finish_reason: 'tool_calls' },
      ],
      [
        { index: 3, message: { role: 'assistant', content: 'A', reasoningContent: 'thought' }, finishReason: { unified: 'stop', raw: 'stop' } },
        {
          index: 4,
          message: { role: 'assistant', content: null, reasoningContent: 'routed', toolCalls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
          finishReason: { unified: 'tool_calls', raw: 'tool_calls' },
        },
      ],
    ],
  ])('reads %s', (_name, choices, expected) => {
    expect(convertOpenAiCompatibleChoices(choices)).toStrictEqual(expected);
  });
});
