import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '@switchboard/spec';
import { mergeTextTurns, textTranscript, toTextTurns } from './text-transcript';
import type { TextTurn, TextTurns, TextTurnsOptions } from './text-transcript';

const toolCall = { id: 'c1', type: 'function' as const, function: { name: 'weather', arguments: '{}' } };
const system = (text: string): TextTurn => ({ role: 'system', text });
const user = (text: string): TextTurn => ({ role: 'user', text });
const assistant = (text: string): TextTurn => ({ role: 'assistant', text });

describe('toTextTurns', () => {
  it.each<[string, ChatMessage[], TextTurnsOptions, TextTurns]>([
    [
      'one turn a message, in order, system messages where they stand',
      [
        { role: 'user', content: 'Hi' },
        { role: 'developer', content: 'Be brief.' },
        { role: 'assistant', content: 'Hello' },
        { role: 'system', content: [{ type: 'text', text: 'No emoji.' }] },
      ],
      {},
      { turns: [user('Hi'), system('Be brief.'), assistant('Hello'), system('No emoji.')], droppedParts: 0, droppedToolCalls: 0 },
    ],
    [
      'tool and function results as user text, tool calls counted and an empty assistant left out',
      [
        { role: 'assistant', content: null, tool_calls: [toolCall, { ...toolCall, id: 'c2' }] },
        { role: 'tool', tool_call_id: 'c1', content: '7' },
        { role: 'function', name: 'weather', content: 'sunny' },
      ],
      {},
      { turns: [user('Tool result: 7'), user('Tool result: sunny')], droppedParts: 0, droppedToolCalls: 2 },
    ],
    [
      'an empty assistant kept when asked',
      [{ role: 'assistant', content: '', tool_calls: [toolCall] }],
      { keepEmptyAssistant: true },
      { turns: [assistant('')], droppedParts: 0, droppedToolCalls: 1 },
    ],
    [
      'a function result named after the function when asked (a tool result is not)',
      [
        { role: 'function', name: 'weather', content: 'sunny' },
        { role: 'tool', tool_call_id: 'c1', content: '7' },
      ],
      { namedFunctionResults: true },
      { turns: [user('weather result: sunny'), user('Tool result: 7')], droppedParts: 0, droppedToolCalls: 0 },
    ],
    [
      'non-text parts counted and left out',
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
            { type: 'input_audio', input_audio: { data: 'AAAA', format: 'mp3' } },
          ],
        },
      ],
      {},
      { turns: [user('What is this?')], droppedParts: 2, droppedToolCalls: 0 },
    ],
  ])('%s', (_name, messages, options, expected) => {
    expect(toTextTurns(messages, options)).toEqual(expected);
  });
});

describe('mergeTextTurns', () => {
  it.each<[string, TextTurn[], TextTurn[]]>([
    ['nothing from nothing', [], []],
    ['system turns joined and put first', [user('a'), system('S1'), assistant('b'), system('S2')], [system('S1\n\nS2'), user('a'), assistant('b')]],
    [
      'consecutive turns of one role joined, also across a system turn',
      [user('a'), user('Tool result: 7'), system('S'), user('c'), assistant('d'), assistant('e')],
      [system('S'), user('a\n\nTool result: 7\n\nc'), assistant('d\n\ne')],
    ],
    ['an empty system turn kept', [system(''), user('a')], [system(''), user('a')]],
  ])('%s', (_name, turns, expected) => {
    expect(mergeTextTurns(turns)).toEqual(expected);
  });

  it('leaves the turns it was given as they were', () => {
    const turns = [user('a'), user('b')];
    mergeTextTurns(turns);
    expect(turns).toEqual([user('a'), user('b')]);
  });
});

describe('textTranscript', () => {
  it.each<[string, TextTurn[], string]>([
    ['only the cue to answer for no turns', [], 'Assistant:'],
    [
      'labelled turns separated by blank lines, ending with Assistant:',
      [system('Be brief.'), user('Hi'), assistant('Hello'), user('Tool result: 7')],
      'System: Be brief.\n\nUser: Hi\n\nAssistant: Hello\n\nUser: Tool result: 7\n\nAssistant:',
    ],
    ['an empty turn with its label', [assistant('')], 'Assistant: \n\nAssistant:'],
  ])('writes %s', (_name, turns, expected) => {
    expect(textTranscript(turns)).toBe(expected);
  });
});
