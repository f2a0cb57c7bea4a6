import type { ChatResult } from '@switchboard/spec';
import { convertOpenAiCompatibleToolCalls } from '../openai-compatible/convert-openai-compatible-choices';
import { convertOpenAiCompatibleUsage } from '../openai-compatible/convert-openai-compatible-usage';
import type { WatsonxChatResponse } from './watsonx-api-schemas';
import { mapWatsonxFinishReason } from './map-watsonx-finish-reason';

/** A watsonx chat answer (OpenAI's shape with `model_id`) as a chat result; service warnings become warnings. */
export function convertWatsonxResponse(body: WatsonxChatResponse, fallbackId: string, model: string): ChatResult {
  const warnings = watsonxWarnings(body);
  return {
    id: body.id ?? fallbackId,
    model: body.model_id ?? body.model ?? model,
    created: body.created ?? Math.floor(Date.now() / 1000),
    choices: (body.choices ?? []).map((choice, position) => {
      const toolCalls = convertOpenAiCompatibleToolCalls(choice.message?.tool_calls);
      const reasoning = choice.message?.reasoning_content ?? undefined;
      return {
        index: choice.index ?? position,
        message: {
          role: 'assistant' as const,
          content: choice.message?.content ?? null,
          ...(reasoning ? { reasoningContent: reasoning } : {}),
          ...(toolCalls.length ? { toolCalls } : {}),
        },
        finishReason: mapWatsonxFinishReason(choice.finish_reason, toolCalls.length > 0),
      };
    }),
    usage: convertOpenAiCompatibleUsage(body.usage),
    ...(warnings.length ? { warnings } : {}),
  };
}

/**
 * Warnings watsonx adds to an answer (e.g. a default it applied), prefixed with the provider. The
 * license disclaimer it attaches to every answer of a non-IBM model is left out.
 */
export function watsonxWarnings(body: WatsonxChatResponse): string[] {
  return (body.system?.warnings ?? []).flatMap((warning) =>
    warning.message && warning.id !== 'disclaimer_warning' ? [`watsonx: ${warning.message}`] : [],
  );
}
