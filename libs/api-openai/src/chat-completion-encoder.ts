import type { ChatResult, FinishReason } from '@switchboard/spec';
import { toOpenAiUsage } from './openai-usage';

/** OpenAI's finish_reason for a unified one; `error` and `other` have no OpenAI value and read as `stop`. */
export function openAiFinishReason(reason: FinishReason): string {
  switch (reason.unified) {
    case 'stop':
    case 'length':
    case 'tool_calls':
    case 'content_filter':
    case 'function_call':
      return reason.unified;
    case 'error':
    case 'other':
      return 'stop';
  }
}

/** The Chat Completions response object: https://platform.openai.com/docs/api-reference/chat/object */
export function encodeChatCompletion(result: ChatResult): Record<string, unknown> {
  return {
    id: result.id,
    object: 'chat.completion',
    created: result.created,
    model: result.model,
    choices: result.choices.map((choice) => {
      const message: Record<string, unknown> = {
        role: 'assistant',
        content: choice.message.content,
        refusal: choice.message.refusal ?? null,
      };
      if (choice.message.toolCalls?.length) message.tool_calls = choice.message.toolCalls;
      if (choice.message.reasoningContent) message.reasoning_content = choice.message.reasoningContent;
      return { index: choice.index, message, logprobs: null, finish_reason: openAiFinishReason(choice.finishReason) };
    }),
    usage: toOpenAiUsage(result.usage),
    system_fingerprint: result.systemFingerprint ?? null,
    ...(result.serviceTier ? { service_tier: result.serviceTier } : {}),
  };
}
