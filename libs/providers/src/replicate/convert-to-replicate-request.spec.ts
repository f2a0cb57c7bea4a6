import { describe, expect, it } from 'vitest';
import type { ChatRequest, ResolvedDeployment } from '@switchboard/spec';
import { convertToReplicateInput } from './convert-to-replicate-request';

const deployment: ResolvedDeployment = { id: 'd1', provider: 'replicate', upstreamModel: 'meta/meta-llama-3-8b-instruct', timeoutMs: 1, params: {} };
type Messages = ChatRequest['messages'];

describe('convertToReplicateInput', () => {
  it.each<[string, Messages, Record<string, unknown>]>([
    ['sends one user message as it is', [{ role: 'user', content: 'Hi' }], { prompt: 'Hi' }],
    ['takes system messages out as system_prompt', [{ role: 'system', content: 'S' }, { role: 'user', content: 'Hi' }], { prompt: 'Hi', system_prompt: 'S' }],
    [
      'writes a longer conversation as a transcript',
      [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'user', content: 'c' }],
      { prompt: 'User: a\n\nAssistant: b\n\nUser: c\n\nAssistant:' },
    ],
    [
      'writes tool results as user turns',
      [{ role: 'user', content: 'a' }, { role: 'tool', tool_call_id: 't', content: '7' }],
      { prompt: 'User: a\n\nUser: Tool result: 7\n\nAssistant:' },
    ],
  ])('%s', (_name, messages, expected) => {
    expect(convertToReplicateInput({ model: 'replicate/x', messages }, deployment).input).toEqual(expected);
  });

  it.each<[Partial<ChatRequest>, Record<string, unknown>]>([
    [{ stop: 'END' }, { stop_sequences: 'END' }],
    [{ stop: ['a', 'b'] }, { stop_sequences: 'a,b' }],
    [{ max_tokens: 10 }, { max_tokens: 10 }],
    [{ max_completion_tokens: 12, max_tokens: 10 }, { max_tokens: 12 }],
  ])('%j -> %j', (fields, expected) => {
    expect(convertToReplicateInput({ model: 'replicate/x', messages: [{ role: 'user', content: 'Hi' }], ...fields }, deployment).input).toMatchObject(expected);
  });
});
