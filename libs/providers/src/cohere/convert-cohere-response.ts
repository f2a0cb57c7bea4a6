import type { ChatResult, ToolCall } from '@switchboard/spec';
import type { CohereChatResponse } from './cohere-api-schemas';
import { convertCohereUsage } from './convert-cohere-usage';
import { mapCohereFinishReason } from './map-cohere-finish-reason';

/** A non-streamed v2 chat response as a canonical result. */
export function convertCohereResponse(body: CohereChatResponse, fallbackId: string, model: string): ChatResult {
  const message = body.message ?? {};
  let text = '';
  let reasoning = '';
  for (const part of message.content ?? []) {
    if (part.type === 'thinking' && part.thinking) reasoning += part.thinking;
    else if (part.text) text += part.text;
  }
  // Before tool calls Cohere writes its plan in `tool_plan` instead of the content.
  if (!text && message.tool_plan) text = message.tool_plan;
  const toolCalls: ToolCall[] = (message.tool_calls ?? []).map((call, position) => ({
    id: call.id ?? `call_${position}`,
    type: 'function',
    // Cohere sends `null` arguments for tools without parameters.
    function: { name: call.function?.name ?? '', arguments: normalizeArguments(call.function?.arguments) },
  }));
  return {
    id: body.id ?? fallbackId,
    model,
    created: Math.floor(Date.now() / 1000),
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text || (toolCalls.length ? null : ''),
          ...(reasoning ? { reasoningContent: reasoning } : {}),
          ...(toolCalls.length ? { toolCalls } : {}),
        },
        finishReason: mapCohereFinishReason(body.finish_reason),
      },
    ],
    usage: convertCohereUsage(body.usage),
  };
}

export function normalizeArguments(value: string | null | undefined): string {
  if (value == null || value.trim() === '' || value.trim() === 'null') return '{}';
  return value;
}
