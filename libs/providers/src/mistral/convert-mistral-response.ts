import type { ChatResult } from '@switchboard/spec';
import type { MistralCompletion, MistralMessage } from './mistral-api-schemas';
import { convertMistralUsage } from './convert-mistral-usage';
import { mapMistralFinishReason } from './map-mistral-finish-reason';

/** Text and reasoning of a message whose content may be a string or an array of chunks. */
export function splitMistralContent(content: MistralMessage['content']): { text: string; reasoning: string } {
  if (content == null) return { text: '', reasoning: '' };
  if (typeof content === 'string') return { text: content, reasoning: '' };
  let text = '';
  let reasoning = '';
  for (const chunk of content) {
    if (chunk.type === 'text' && typeof chunk.text === 'string') text += chunk.text;
    else if (chunk.type === 'thinking' && Array.isArray(chunk.thinking)) {
      for (const part of chunk.thinking as Array<{ type?: string; text?: unknown }>) {
        if (part.type === 'text' && typeof part.text === 'string') reasoning += part.text;
      }
    }
  }
  return { text, reasoning };
}

export function convertMistralResponse(body: MistralCompletion, fallbackId: string, model: string): ChatResult {
  return {
    id: body.id ?? fallbackId,
    model: body.model ?? model,
    created: body.created ?? Math.floor(Date.now() / 1000),
    choices: (body.choices ?? []).map((choice, position) => {
      const message = choice.message ?? {};
      const { text, reasoning } = splitMistralContent(message.content);
      const toolCalls = (message.tool_calls ?? []).map((call) => ({
        id: call.id ?? '',
        type: 'function' as const,
        function: { name: call.function?.name ?? '', arguments: call.function?.arguments ?? '' },
      }));
      return {
        index: choice.index ?? position,
        message: {
          role: 'assistant' as const,
          content: text || (toolCalls.length ? null : ''),
          ...(reasoning ? { reasoningContent: reasoning } : {}),
          ...(toolCalls.length ? { toolCalls } : {}),
        },
        finishReason: mapMistralFinishReason(choice.finish_reason),
      };
    }),
    usage: convertMistralUsage(body.usage),
  };
}
