import type { ChatRequest } from '@switchboard/spec';

/**
 * `POST /v1/messages/count_tokens`: an estimate (about four characters a token) over everything
 * the model would read. No tokenizer for every provider exists offline; the answer says estimated.
 */
export function estimateInputTokens(request: ChatRequest): number {
  let characters = 0;
  for (const message of request.messages) {
    const content = message.content;
    if (typeof content === 'string') characters += content.length;
    else if (Array.isArray(content)) for (const part of content) characters += 'text' in part && typeof part.text === 'string' ? part.text.length : 256;
    if (message.role === 'assistant') for (const call of message.tool_calls ?? []) characters += call.function.arguments.length + call.function.name.length;
  }
  for (const tool of request.tools ?? []) characters += JSON.stringify(tool.function).length;
  return Math.max(1, Math.ceil(characters / 4) + request.messages.length * 3);
}
