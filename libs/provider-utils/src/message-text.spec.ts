import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '@switchboard/spec';
import { promptTextOf, textOf } from './message-text';

describe('textOf', () => {
  it.each<[string, ChatMessage['content'] | undefined, string]>([
    ['a string as it is', 'Hi there', 'Hi there'],
    ['no content as empty text', null, ''],
    ['missing content as empty text', undefined, ''],
    ['text parts joined without a separator', [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }], 'ab'],
    [
      'images, audio and files as no text',
      [
        { type: 'text', text: 'look: ' },
        { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
        { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } },
        { type: 'file', file: { file_id: 'f1' } },
        { type: 'text', text: 'a cat' },
      ],
      'look: a cat',
    ],
  ])('reads %s', (_name, content, expected) => {
    expect(textOf(content)).toBe(expected);
  });
});

describe('promptTextOf', () => {
  it.each<[string, ChatMessage[], string]>([
    ['nothing from no messages', [], ''],
    [
      'every message one a line, whatever its role',
      [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: '7' },
      ],
      'Be brief.\nHi\n\n7',
    ],
  ])('gives %s', (_name, messages, expected) => {
    expect(promptTextOf(messages)).toBe(expected);
  });
});
