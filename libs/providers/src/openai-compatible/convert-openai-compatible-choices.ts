import type { ChatResultChoice, ToolCall } from '@switchboard/spec';
import type { OpenAiChoice, OpenAiToolCall } from './openai-compatible-api-schemas';
import { mapOpenAiCompatibleFinishReason } from './map-openai-compatible-finish-reason';

/** An answer's tool calls with every field present (empty where the upstream left one out). */
export function convertOpenAiCompatibleToolCalls(calls: readonly OpenAiToolCall[] | null | undefined): ToolCall[] {
  return (calls ?? []).map((call) => ({
    id: call.id ?? '',
    type: 'function' as const,
    function: { name: call.function?.name ?? '', arguments: call.function?.arguments ?? '' },
  }));
}

/**
 * The choices of an OpenAI chat completion written by a model server rather than OpenAI (a Truss
 * model, a SageMaker container): reasoning under either of its names, and `reasoningContent` /
 * `toolCalls` only when there are any.
 */
export function convertOpenAiCompatibleChoices(choices: readonly OpenAiChoice[]): ChatResultChoice[] {
  return choices.map((choice, position) => {
    const toolCalls = convertOpenAiCompatibleToolCalls(choice.message?.tool_calls);
    const reasoning = choice.message?.reasoning_content ?? choice.message?.reasoning ?? undefined;
    return {
      index: choice.index ?? position,
      message: {
        role: 'assistant',
        content: choice.message?.content ?? null,
        ...(reasoning ? { reasoningContent: reasoning } : {}),
        ...(toolCalls.length ? { toolCalls } : {}),
      },
      finishReason: mapOpenAiCompatibleFinishReason(choice.finish_reason),
    };
  });
}
