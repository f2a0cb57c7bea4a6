import { estimatedUsage } from '@switchboard/provider-utils';
import type { ChatResult, FinishReason } from '@switchboard/spec';
import type { PetalsGenerateResponse } from './petals-api-schemas';
import { petalsTracebackError } from './petals-error';

/**
 * A generate answer as a chat result. The outputs are decoded tokens after the prompt: the space
 * after `Assistant:` and an end-of-sequence `</s>` are removed, and the text is cut at the first
 * stop sequence (the API has none, so stops are applied here). Petals reports no token counts:
 * usage is estimated (about four characters a token) and flagged `estimated` in `raw`.
 */
export function convertPetalsResponse(body: PetalsGenerateResponse, stops: readonly string[], id: string, model: string, promptText: string): ChatResult {
  if (!body.ok) throw petalsTracebackError(body.traceback);
  const { text, finishReason } = cutAtStop((body.outputs ?? '').replace(/<\/s>\s*$/, '').replace(/^\s+/, ''), stops);
  return {
    id,
    model,
    created: Math.floor(Date.now() / 1000),
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finishReason }],
    usage: estimatedUsage(promptText, text),
  };
}

function cutAtStop(text: string, stops: readonly string[]): { text: string; finishReason: FinishReason } {
  let cut = -1;
  for (const stop of stops) {
    const at = stop ? text.indexOf(stop) : -1;
    if (at >= 0 && (cut < 0 || at < cut)) cut = at;
  }
  if (cut < 0) return { text, finishReason: { unified: 'stop', raw: null } };
  return { text: text.slice(0, cut).replace(/\s+$/, ''), finishReason: { unified: 'stop', raw: 'stop_sequence' } };
}
