import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '@switchboard/spec';
import { convertToNlpCloudRequest } from './convert-to-nlp-cloud-request';

type Messages = ChatRequest['messages'];

describe('convertToNlpCloudRequest (chatbot)', () => {
  it.each<[string, Messages, Record<string, unknown>]>([
    ['one question', [{ role: 'user', content: 'q' }], { input: 'q', history: [] }],
    [
      'pairs earlier turns',
      [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'user', content: 'c' }, { role: 'assistant', content: 'd' }, { role: 'user', content: 'e' }],
      { input: 'e', history: [{ input: 'a', response: 'b' }, { input: 'c', response: 'd' }] },
    ],
    ['joins consecutive user messages', [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }], { input: 'a\n\nb', history: [] }],
    ['keeps an opening assistant message', [{ role: 'assistant', content: 'Welcome!' }, { role: 'user', content: 'q' }], { input: 'q', history: [{ input: '', response: 'Welcome!' }] }],
    ['drops a trailing assistant message', [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'partial' }], { input: 'q', history: [] }],
    ['puts system messages in the context', [{ role: 'system', content: 's' }, { role: 'user', content: 'q' }], { input: 'q', context: 's', history: [] }],
  ])('%s', (_name, messages, expected) => {
    expect(convertToNlpCloudRequest({ model: 'nlp_cloud/x', messages }, 'chatbot', false).body).toEqual(expected);
  });
});
