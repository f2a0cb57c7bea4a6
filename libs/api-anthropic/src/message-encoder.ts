import type { ChatResult } from '@switchboard/spec';
import { anthropicStopReason, anthropicUsage } from './anthropic-wire';

function parseArguments(text: string): unknown {
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return {};
  }
}

/** A complete Messages response: https://docs.claude.com/en/api/messages (response shape). */
export function encodeMessage(result: ChatResult, requestModel: string, messageId: string): Record<string, unknown> {
  const choice = result.choices[0];
  const content: Array<Record<string, unknown>> = [];
  if (choice?.message.reasoningContent) content.push({ type: 'thinking', thinking: choice.message.reasoningContent, signature: '' });
  if (choice?.message.content) content.push({ type: 'text', text: choice.message.content });
  for (const call of choice?.message.toolCalls ?? []) {
    content.push({ type: 'tool_use', id: call.id, name: call.function.name, input: parseArguments(call.function.arguments) });
  }
  return {
    id: messageId,
    type: 'message',
    role: 'assistant',
    model: result.model || requestModel,
    content,
    stop_reason: anthropicStopReason(choice?.finishReason),
    stop_sequence: null,
    usage: anthropicUsage(result.usage),
  };
}
