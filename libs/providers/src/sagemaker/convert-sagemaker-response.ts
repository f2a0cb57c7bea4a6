import { parseUpstreamJson } from '@switchboard/provider-utils';
import { SwitchboardError } from '@switchboard/spec';
import type { ChatResult } from '@switchboard/spec';
import type { OpenAiCompletion } from '../openai-compatible/openai-compatible-api-schemas';
import { convertOpenAiCompatibleChoices } from '../openai-compatible/convert-openai-compatible-choices';
import type { TgiGeneration } from './sagemaker-api-schemas';
import { convertSagemakerChatUsage, convertSagemakerUsage } from './convert-sagemaker-usage';
import { mapSagemakerFinishReason } from './map-sagemaker-finish-reason';

/**
 * A TGI `/invocations` answer (`[{generated_text, details?}]`, or a bare object; `generation` from
 * older JumpStart containers) as a chat result. A model whose container returns the full text
 * (`return_full_text`) echoes the prompt first: it is removed.
 */
export function convertSagemakerResponse(bodyText: string, id: string, model: string, promptText: string): ChatResult {
  const parsed = parseUpstreamJson<unknown>(bodyText, 'sagemaker');
  const generation = (Array.isArray(parsed) ? parsed[0] : parsed) as TgiGeneration | undefined;
  const generated = generation?.generated_text ?? generation?.generation;
  if (typeof generated !== 'string') {
    throw new SwitchboardError('upstream_error', 'sagemaker answered with JSON that has no generated_text (is the endpoint a text-generation container?)');
  }
  const text = generated.startsWith(promptText) ? generated.slice(promptText.length).replace(/^\s+/, '') : generated;
  return {
    id,
    model,
    created: Math.floor(Date.now() / 1000),
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finishReason: mapSagemakerFinishReason(generation?.details?.finish_reason) }],
    usage: convertSagemakerUsage(generation?.details, promptText, text),
  };
}

/** A Messages API answer (an OpenAI chat completion) as a chat result; usage estimated when absent. */
export function convertSagemakerChatResponse(bodyText: string, fallbackId: string, model: string, promptText: string): ChatResult {
  const body = parseUpstreamJson<OpenAiCompletion>(bodyText, 'sagemaker_chat');
  if (!Array.isArray(body?.choices)) throw new SwitchboardError('upstream_error', 'sagemaker_chat answered with JSON that is not a chat completion');
  const choices = convertOpenAiCompatibleChoices(body.choices);
  const outputText = choices.map((choice) => choice.message.content ?? '').join('');
  return {
    id: body.id || fallbackId,
    model: body.model || model,
    created: body.created ?? Math.floor(Date.now() / 1000),
    choices,
    usage: convertSagemakerChatUsage(body.usage, promptText, outputText),
  };
}
