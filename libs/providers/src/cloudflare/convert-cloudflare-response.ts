import type { ChatResult } from '@switchboard/spec';
import { convertOpenAiCompatibleUsage } from '../openai-compatible/convert-openai-compatible-usage';
import { mapOpenAiCompatibleFinishReason } from '../openai-compatible/map-openai-compatible-finish-reason';
import type { OpenAiCompletion } from '../openai-compatible/openai-compatible-api-schemas';
import type { CloudflareCompletion } from './cloudflare-api-schemas';

/** A chat completion from the OpenAI-compatible endpoint (tolerating the v4 envelope around it). */
export function convertCloudflareResponse(body: CloudflareCompletion, fallbackId: string, model: string): ChatResult {
  const completion: OpenAiCompletion = !body.choices && isCompletion(body.result) ? body.result : body;
  return {
    id: completion.id || fallbackId,
    model: completion.model ?? model,
    created: completion.created ?? Math.floor(Date.now() / 1000),
    choices: (completion.choices ?? []).map((choice, position) => {
      const toolCalls = (choice.message?.tool_calls ?? []).map((call, index) => ({
        id: call.id || `call_${index}`,
        type: 'function' as const,
        function: { name: call.function?.name ?? '', arguments: call.function?.arguments || '{}' },
      }));
      const reasoning = choice.message?.reasoning_content ?? choice.message?.reasoning;
      return {
        index: choice.index ?? position,
        message: {
          role: 'assistant' as const,
          content: choice.message?.content ?? (toolCalls.length ? null : ''),
          ...(reasoning ? { reasoningContent: reasoning } : {}),
          ...(toolCalls.length ? { toolCalls } : {}),
        },
        finishReason: mapOpenAiCompatibleFinishReason(choice.finish_reason),
      };
    }),
    usage: convertOpenAiCompatibleUsage(completion.usage),
  };
}

function isCompletion(value: unknown): value is OpenAiCompletion {
  return typeof value === 'object' && value !== null && Array.isArray((value as OpenAiCompletion).choices);
}
