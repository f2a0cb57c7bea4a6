import { estimatedUsage } from '@switchboard/provider-utils';
import { SwitchboardError } from '@switchboard/spec';
import type { ChatResult } from '@switchboard/spec';
import type { OpenAiCompletion } from '../openai-compatible/openai-compatible-api-schemas';
import { convertOpenAiCompatibleChoices } from '../openai-compatible/convert-openai-compatible-choices';
import { convertOpenAiCompatibleUsage } from '../openai-compatible/convert-openai-compatible-usage';

/**
 * A `/predict` answer as a chat result: an OpenAI chat completion is read as one; a JSON string
 * or a plain-text body is the whole answer, with estimated usage. Anything else is refused rather
 * than guessed at.
 */
export function convertBasetenPredictResponse(bodyText: string, fallbackId: string, model: string, promptText: string): ChatResult {
  let parsed: unknown = bodyText;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    // a plain-text answer
  }
  if (typeof parsed === 'string') {
    return {
      id: fallbackId,
      model,
      created: Math.floor(Date.now() / 1000),
      choices: [{ index: 0, message: { role: 'assistant', content: parsed }, finishReason: { unified: 'stop', raw: null } }],
      usage: estimatedUsage(promptText, parsed),
    };
  }
  if (parsed && typeof parsed === 'object' && Array.isArray((parsed as OpenAiCompletion).choices)) {
    return convertCompletion(parsed as OpenAiCompletion, fallbackId, model, promptText);
  }
  throw new SwitchboardError('upstream_error', 'baseten /predict answered with JSON that is neither an OpenAI chat completion nor a string');
}

function convertCompletion(body: OpenAiCompletion, fallbackId: string, model: string, promptText: string): ChatResult {
  const choices = convertOpenAiCompatibleChoices(body.choices ?? []);
  const completionText = choices.map((choice) => choice.message.content ?? '').join('');
  return {
    id: body.id ?? fallbackId,
    model: body.model ?? model,
    created: body.created ?? Math.floor(Date.now() / 1000),
    choices,
    usage: body.usage ? convertOpenAiCompatibleUsage(body.usage) : estimatedUsage(promptText, completionText),
  };
}
