import type { ChatMessage } from '@switchboard/spec';

/**
 * The text of a message's content: a string as it is, or its text parts joined. Images, audio and
 * files carry no text; an assistant message with only tool calls has none either.
 */
export function textOf(content: ChatMessage['content'] | undefined): string {
  if (typeof content === 'string') return content;
  if (!content) return '';
  return content.map((part) => (part.type === 'text' && typeof part.text === 'string' ? part.text : '')).join('');
}

/** The text of every message, one message a line: what an input-token estimate counts when a provider reports none. */
export function promptTextOf(messages: readonly ChatMessage[]): string {
  return messages.map((message) => textOf(message.content)).join('\n');
}
