import { dropUnsupported, mergeTextTurns, textTranscript, toTextTurns } from '@switchboard/provider-utils';
import type { TextTurn } from '@switchboard/provider-utils';
import type { ChatRequest } from '@switchboard/spec';
import type { NlpCloudEndpoint } from './nlp-cloud-api';

/** Fields with no counterpart on either endpoint. */
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

/** Sampling fields the chatbot endpoint does not take either (the generation endpoint does). */
const samplingFields = ['max_tokens', 'max_completion_tokens', 'temperature', 'top_p', 'stop'] as const;

export interface NlpCloudRequest {
  body: Record<string, unknown>;
  /** Everything sent as text, for estimating input tokens. */
  promptText: string;
  warnings: string[];
}

/**
 * The body of the chatbot endpoint (`{input, context, history: [{input, response}]}`): system
 * messages become the `context`, the last user turn the `input`, and the turns before it the
 * `history` of input / response pairs (consecutive messages of one role are joined, tool results
 * are user text). With `nlp_cloud_endpoint: generation` the body of the generation endpoint
 * instead: the conversation as a `System:` / `User:` / `Assistant:` transcript ending with
 * `Assistant:`, `max_length` counting new tokens only, and the first stop as `end_sequence`.
 */
export function convertToNlpCloudRequest(request: ChatRequest, endpoint: NlpCloudEndpoint, stream: boolean): NlpCloudRequest {
  const warnings: string[] = [];
  const { turns: messageTurns, droppedParts } = toTextTurns(request.messages);
  if (droppedParts) warnings.push(`nlp_cloud reads text only; ${droppedParts} non-text content part(s) were not sent`);
  const context = messageTurns.filter((turn) => turn.role === 'system').map((turn) => turn.text).join('\n\n');
  const turns = mergeTextTurns(messageTurns.filter((turn) => turn.role !== 'system'));
  dropUnsupported(request, unsupportedFields, 'nlp_cloud', warnings);
  const converted = endpoint === 'chatbot' ? chatbotBody(request, context, turns, warnings) : generationBody(request, context, turns, warnings);
  if (stream) converted.body.stream = true;
  return { ...converted, warnings };
}

function chatbotBody(request: ChatRequest, context: string, turns: TextTurn[], warnings: string[]): Omit<NlpCloudRequest, 'warnings'> {
  dropUnsupported(request, samplingFields, 'nlp_cloud chatbot', warnings);
  if (turns.at(-1)?.role === 'assistant') {
    turns.pop();
    warnings.push('nlp_cloud chatbot answers the last user message; the trailing assistant message was not sent');
  }
  const input = turns.pop()?.text ?? '';
  const history: Array<{ input: string; response: string }> = [];
  for (const turn of turns) {
    if (turn.role === 'user') history.push({ input: turn.text, response: '' });
    else if (history.length && history[history.length - 1].response === '') history[history.length - 1].response = turn.text;
    else history.push({ input: '', response: turn.text });
  }
  const body: Record<string, unknown> = { input, ...(context ? { context } : {}), history };
  const promptText = [context, ...history.flatMap((pair) => [pair.input, pair.response]), input].join('\n');
  return { body, promptText };
}

function generationBody(request: ChatRequest, context: string, turns: TextTurn[], warnings: string[]): Omit<NlpCloudRequest, 'warnings'> {
  const text = textTranscript(context ? [{ role: 'system', text: context }, ...turns] : turns);
  const body: Record<string, unknown> = { text, length_no_input: true, remove_input: true };
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens != null) body.max_length = maxTokens;
  if (request.temperature != null) body.temperature = request.temperature;
  if (request.top_p != null) body.top_p = request.top_p;
  const stops = typeof request.stop === 'string' ? [request.stop] : (request.stop ?? []);
  if (stops.length) {
    body.end_sequence = stops[0];
    body.remove_end_sequence = true;
    if (stops.length > 1) warnings.push('nlp_cloud takes one end sequence; only the first stop sequence was sent');
  }
  return { body, promptText: text };
}
