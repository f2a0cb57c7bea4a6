import type { ChatMessage, ChatRequest } from '@switchboard/spec';
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

interface Turn {
  role: 'user' | 'assistant';
  text: string;
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
  const context = request.messages.filter((message) => message.role === 'system' || message.role === 'developer').map((message) => textOf(message.content)).join('\n\n');
  const turns = toTurns(request.messages, warnings);
  for (const field of unsupportedFields) {
    if (request[field] != null) warnings.push(`nlp_cloud does not support ${field}; it was not sent`);
  }
  const converted = endpoint === 'chatbot' ? chatbotBody(request, context, turns, warnings) : generationBody(request, context, turns, warnings);
  if (stream) converted.body.stream = true;
  return { ...converted, warnings };
}

function chatbotBody(request: ChatRequest, context: string, turns: Turn[], warnings: string[]): Omit<NlpCloudRequest, 'warnings'> {
  for (const field of samplingFields) {
    if (request[field] != null) warnings.push(`nlp_cloud chatbot does not support ${field}; it was not sent`);
  }
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

function generationBody(request: ChatRequest, context: string, turns: Turn[], warnings: string[]): Omit<NlpCloudRequest, 'warnings'> {
  const lines = [...(context ? [`System: ${context}`] : []), ...turns.map((turn) => `${turn.role === 'user' ? 'User' : 'Assistant'}: ${turn.text}`), 'Assistant:'];
  const text = lines.join('\n\n');
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

function toTurns(messages: readonly ChatMessage[], warnings: string[]): Turn[] {
  const turns: Turn[] = [];
  let droppedParts = 0;
  for (const message of messages) {
    if (message.role === 'system' || message.role === 'developer') continue;
    if (Array.isArray(message.content)) droppedParts += message.content.filter((part) => part.type !== 'text').length;
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const text = message.role === 'tool' || message.role === 'function' ? `Tool result: ${textOf(message.content)}` : textOf(message.content);
    if (role === 'assistant' && !text) continue;
    const last = turns.at(-1);
    if (last?.role === role) last.text = `${last.text}\n\n${text}`;
    else turns.push({ role, text });
  }
  if (droppedParts) warnings.push(`nlp_cloud reads text only; ${droppedParts} non-text content part(s) were not sent`);
  return turns;
}

function textOf(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!content) return '';
  return content.map((part) => ('text' in part && typeof part.text === 'string' ? part.text : '')).join('');
}
