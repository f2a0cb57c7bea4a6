import { randomUUID } from 'node:crypto';
import type { ChatResult, ToolCall } from '@switchboard/spec';
import type { OllamaChatChunk, OllamaToolCall } from './ollama-api-schemas';
import { convertOllamaUsage } from './convert-ollama-usage';
import { mapOllamaFinishReason } from './map-ollama-finish-reason';

/** Ollama tool call arguments are JSON objects; OpenAI's are strings. Older Ollama versions send no id. */
export function convertOllamaToolCall(call: OllamaToolCall): ToolCall {
  const args = call.function.arguments;
  return {
    id: call.id || `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
    type: 'function',
    function: { name: call.function.name, arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) },
  };
}

export function createdSeconds(createdAt: string | undefined): number {
  const parsed = createdAt ? Date.parse(createdAt) : Number.NaN;
  return Math.floor((Number.isNaN(parsed) ? Date.now() : parsed) / 1000);
}

/** A non-streamed `/api/chat` answer as a canonical result. */
export function convertOllamaResponse(body: OllamaChatChunk, id: string, model: string): ChatResult {
  const toolCalls = (body.message?.tool_calls ?? []).map(convertOllamaToolCall);
  const content = body.message?.content ?? '';
  return {
    id,
    model: body.model ?? model,
    created: createdSeconds(body.created_at),
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: content || (toolCalls.length ? null : ''),
          ...(body.message?.thinking ? { reasoningContent: body.message.thinking } : {}),
          ...(toolCalls.length ? { toolCalls } : {}),
        },
        finishReason: mapOllamaFinishReason(body.done_reason, toolCalls.length > 0),
      },
    ],
    usage: convertOllamaUsage(body),
  };
}
