import { dropUnsupported, mergeTextTurns, textTranscript, toTextTurns } from '@switchboard/provider-utils';
import type { TextTurn } from '@switchboard/provider-utils';
import type { ChatMessage, ChatRequest } from '@switchboard/spec';

/** Fields the chat endpoint does not document, or that need tools it does not offer. */
const unsupportedChatFields = [
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'seed',
  'user',
  'reasoning_effort',
  'thinking',
  'service_tier',
  'store',
  'modalities',
  'audio',
  'prediction',
  'web_search_options',
  'verbosity',
] as const;

/** Fields `/complete` has no counterpart for. */
const unsupportedCompleteFields = [...unsupportedChatFields, 'response_format', 'logprobs', 'top_logprobs', 'logit_bias'] as const;

/** The stop sequence that ends the assistant's turn in the `/complete` transcript. */
export const alephAlphaTurnStop = '\n\nUser:';

/**
 * The chat request as Aleph Alpha's `/chat/completions` takes it
 * (https://docs.aleph-alpha.com/api/pharia-inference/4.1.0/chat-completions): string contents,
 * at most one system message and only at the start, and user / assistant turns that alternate
 * (consecutive messages of one role are joined). Tool results become user text; images, tool
 * calls and unsupported fields are dropped with a warning.
 */
export function convertToAlephAlphaChatRequest(request: ChatRequest): { request: ChatRequest; warnings: string[] } {
  const warnings: string[] = [];
  const messages = toTurns(request.messages, warnings).map(toMessage);
  return { request: dropUnsupported({ ...request, messages }, unsupportedChatFields, 'aleph_alpha', warnings), warnings };
}

/**
 * The body of `POST /complete` (https://docs.aleph-alpha.com, aleph_alpha_client CompletionRequest):
 * the conversation as a transcript (`System:` text, then `User:` / `Assistant:` turns separated by
 * blank lines, ending with `Assistant:`), with `\n\nUser:` added to the stop sequences so the
 * model ends its turn there.
 */
export function convertToAlephAlphaCompleteRequest(
  request: ChatRequest,
  upstreamModel: string,
  stream: boolean,
): { body: Record<string, unknown>; prompt: string; warnings: string[] } {
  const warnings: string[] = [];
  dropUnsupported(request, unsupportedCompleteFields, 'aleph_alpha', warnings);
  const prompt = textTranscript(toTurns(request.messages, warnings));
  const stop = typeof request.stop === 'string' ? [request.stop] : (request.stop ?? []);
  const body: Record<string, unknown> = { model: upstreamModel, prompt, stop_sequences: [...stop, alephAlphaTurnStop] };
  const maximumTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maximumTokens != null) body.maximum_tokens = maximumTokens;
  for (const field of ['temperature', 'top_p', 'presence_penalty', 'frequency_penalty', 'n'] as const) {
    if (request[field] != null) body[field] = request[field];
  }
  if (stream) body.stream = true;
  return { body, prompt, warnings };
}

function toMessage(turn: TextTurn): ChatMessage {
  return turn.role === 'assistant' ? { role: 'assistant', content: turn.text } : { role: turn.role, content: turn.text };
}

/** One system turn first, then alternating user and assistant turns; tool results are user text. */
function toTurns(messages: readonly ChatMessage[], warnings: string[]): TextTurn[] {
  const { turns, droppedParts, droppedToolCalls } = toTextTurns(messages, { namedFunctionResults: true });
  if (droppedParts) warnings.push(`aleph_alpha reads text only; ${droppedParts} non-text content part(s) were not sent`);
  if (droppedToolCalls) warnings.push(`aleph_alpha has no tool calls; ${droppedToolCalls} earlier tool call(s) were not sent (their results were sent as user text)`);
  return mergeTextTurns(turns);
}
