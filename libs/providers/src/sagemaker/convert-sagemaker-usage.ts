import { buildUsage, estimateTokens, estimatedUsage } from '@switchboard/provider-utils';
import type { Usage } from '@switchboard/spec';
import type { OpenAiUsage } from '../openai-compatible/openai-compatible-api-schemas';
import { convertOpenAiCompatibleUsage } from '../openai-compatible/convert-openai-compatible-usage';
import type { TgiDetails } from './sagemaker-api-schemas';

/**
 * Usage of a TGI answer. TGI reports counts only in `details` (asked for with
 * `parameters.details: true`): `generated_tokens`, and the prompt as `input_length` (newer
 * streams) or the `prefill` list (with `decoder_input_details`). What is missing is estimated from
 * the text (about four characters a token) and the whole usage is flagged `estimated: true`.
 */
export function convertSagemakerUsage(details: TgiDetails | null | undefined, promptText: string, outputText: string): Usage {
  const reportedOutput = typeof details?.generated_tokens === 'number' ? details.generated_tokens : undefined;
  const reportedInput =
    typeof details?.input_length === 'number' ? details.input_length : Array.isArray(details?.prefill) && details.prefill.length > 0 ? details.prefill.length : undefined;
  const inputTotal = reportedInput ?? estimateTokens(promptText);
  const outputTotal = reportedOutput ?? estimateTokens(outputText);
  const raw: Record<string, unknown> = {};
  if (reportedInput !== undefined) raw.input_length = reportedInput;
  if (reportedOutput !== undefined) raw.generated_tokens = reportedOutput;
  if (reportedInput === undefined || reportedOutput === undefined) raw.estimated = true;
  return buildUsage({ inputTotal, outputTotal, raw });
}

/** Usage of an OpenAI-style answer (`sagemaker_chat`): the container's `usage`, else estimated and flagged. */
export function convertSagemakerChatUsage(usage: OpenAiUsage | null | undefined, promptText: string, outputText: string): Usage {
  if (usage && (typeof usage.prompt_tokens === 'number' || typeof usage.completion_tokens === 'number')) return convertOpenAiCompatibleUsage(usage);
  return estimatedUsage(promptText, outputText);
}
