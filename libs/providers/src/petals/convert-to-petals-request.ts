import { dropUnsupported, textTranscript, toTextTurns } from '@switchboard/provider-utils';
import type { ChatRequest, ResolvedDeployment } from '@switchboard/spec';

/** Fields the HTTP API has no counterpart for. */
const unsupportedFields = [
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'seed',
  'n',
  'presence_penalty',
  'frequency_penalty',
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'reasoning_effort',
  'thinking',
  'user',
] as const;

/** Ends the assistant's turn in the transcript; the model's own next `User:` turn is cut there. */
export const petalsTurnStop = '\nUser:';

/** `max_new_tokens` when neither the request nor `petals_max_new_tokens` sets one (the API needs a length). */
const defaultMaxNewTokens = 256;

export interface PetalsRequest {
  /** The form body. */
  form: URLSearchParams;
  /** Stop sequences, applied to the output here: the HTTP API has none. */
  stops: string[];
  promptText: string;
  warnings: string[];
}

/**
 * The form of POST /api/v1/generate (chat.petals.dev README, "HTTP API"): `model`, `inputs` (the
 * conversation as a transcript: `System:` text, then `User:` / `Assistant:` turns separated by
 * blank lines, ending with `Assistant:`), `max_new_tokens`, and sampling (`do_sample=1` with
 * `temperature` / `top_p`) unless the temperature is 0, which is greedy generation.
 */
export function convertToPetalsRequest(request: ChatRequest, deployment: ResolvedDeployment): PetalsRequest {
  const warnings: string[] = [];
  const { turns, droppedParts } = toTextTurns(request.messages);
  if (droppedParts) warnings.push(`petals reads text only; ${droppedParts} non-text content part(s) were not sent`);
  const promptText = textTranscript(turns);
  const configured = Number(deployment.params.petals_max_new_tokens);
  const maxNewTokens = request.max_completion_tokens ?? request.max_tokens ?? (Number.isInteger(configured) && configured > 0 ? configured : defaultMaxNewTokens);
  const form = new URLSearchParams({ model: deployment.upstreamModel, inputs: promptText, max_new_tokens: String(maxNewTokens) });
  const sample = request.temperature !== 0 && (request.temperature != null || request.top_p != null);
  if (sample) {
    form.set('do_sample', '1');
    if (request.temperature != null) form.set('temperature', String(request.temperature));
    if (request.top_p != null) form.set('top_p', String(request.top_p));
  }
  dropUnsupported(request, unsupportedFields, 'petals', warnings);
  const stops = typeof request.stop === 'string' ? [request.stop] : (request.stop ?? []);
  return { form, stops: [...stops, petalsTurnStop], promptText, warnings };
}
