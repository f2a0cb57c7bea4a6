import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatRequest } from '@switchboard/spec';
import { convertToBedrockRequest } from './convert-to-bedrock-request';

const messagesOf = (messages: ChatMessage[]) => convertToBedrockRequest({ model: 'm', messages } as ChatRequest).body.messages;

describe('convertToBedrockRequest: prompt caching and thinking replay', () => {
  it.each<[string, ChatMessage[], unknown]>([
    ['no cache_control, no cache point', [{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }], [{ role: 'user', content: [{ text: 'a' }, { text: 'b' }] }]],
    [
      'a marked tool result is cached up to the result block (toolResult content takes no cache point)',
      [
        { role: 'assistant', content: null, tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '' } }] },
        { role: 'tool', tool_call_id: 't1', content: [{ type: 'text', text: 'big result', cache_control: { type: 'ephemeral' } }] },
      ],
      [
        { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'f', input: {} } }] },
        { role: 'user', content: [{ toolResult: { toolUseId: 't1', content: [{ text: 'big result' }], status: 'success' } }, { cachePoint: { type: 'default' } }] },
      ],
    ],
    [
      'a marked assistant text part',
      [{ role: 'assistant', content: [{ type: 'text', text: 'earlier answer', cache_control: { type: 'ephemeral' } }] }],
      [{ role: 'assistant', content: [{ text: 'earlier answer' }, { cachePoint: { type: 'default' } }] }],
    ],
    [
      'thinking without a signature is sent as text only; redacted thinking without data is dropped',
      [{ role: 'assistant', content: 'ok', thinking_blocks: [{ type: 'thinking', thinking: 'hmm' }, { type: 'redacted_thinking' }] }],
      [{ role: 'assistant', content: [{ reasoningContent: { reasoningText: { text: 'hmm' } } }, { text: 'ok' }] }],
    ],
    ['an empty tool result keeps an empty content list', [{ role: 'tool', tool_call_id: 't1', content: '' }], [{ role: 'user', content: [{ toolResult: { toolUseId: 't1', content: [], status: 'success' } }] }]],
  ])('%s', (_name, messages, expected) => {
    expect(messagesOf(messages)).toEqual(expected);
  });

  it('puts no cache point after an unmarked tool and one after each marked tool', () => {
    const tool = (name: string, cached: boolean) => ({ type: 'function' as const, function: { name }, ...(cached ? { cache_control: { type: 'ephemeral' as const } } : {}) });
    const { body } = convertToBedrockRequest({ model: 'm', messages: [{ role: 'user', content: 'hi' }], tools: [tool('a', false), tool('b', true)] });
    expect((body.toolConfig as { tools: unknown[] }).tools).toEqual([
      { toolSpec: { name: 'a', inputSchema: { json: { type: 'object' } } } },
      { toolSpec: { name: 'b', inputSchema: { json: { type: 'object' } } } },
      { cachePoint: { type: 'default' } },
    ]);
  });
});
