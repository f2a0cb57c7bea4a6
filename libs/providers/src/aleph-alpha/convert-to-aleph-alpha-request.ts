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

interface Turn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * The chat request as Aleph Alpha's `/chat/completions` takes it
 * (https://docs.aleph-alpha.com/api/pharia-inference/4.1.0/chat-completions): string contents,
 * at most one system message and only at the start, and user / assistant turns that alternate
 * (consecutive messages of one role are joined). Tool results become user text; images, tool
 * calls and unsupported fields are dropped with a warning.
 */
export function convertToAlephAlphaChatRequest(request: ChatRequest): { request: ChatRequest; warnings: string[] } {
  const warnings: string[] = [];
  const converted: ChatRequest = { ...request, messages: toTurns(request.messages, warnings).map(toMessage) };
  dropFields(converted, unsupportedChatFields, warnings);
  return { request: converted, warnings };
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
  dropFields({ ...request }, unsupportedCompleteFields, warnings);
  const prompt = [...toTurns(request.messages, warnings).map((turn) => `${label(turn.role)}: ${turn.content}`), 'Assistant:'].join('\n\n');
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

function dropFields(request: ChatRequest, fields: readonly string[], warnings: string[]): void {
  for (const field of fields) {
    if (request[field] === undefined || request[field] === null) continue;
    delete request[field];
    warnings.push(`aleph_alpha does not support ${field}; it was not sent`);
  }
}

function label(role: Turn['role']): string {
  return role === 'system' ? 'System' : role === 'user' ? 'User' : 'Assistant';
}

function toMessage(turn: Turn): ChatMessage {
  return turn.role === 'assistant' ? { role: 'assistant', content: turn.content } : { role: turn.role, content: turn.content };
}

function toTurns(messages: readonly ChatMessage[], warnings: string[]): Turn[] {
  const system: string[] = [];
  const turns: Turn[] = [];
  let droppedParts = 0;
  let droppedToolCalls = 0;
  const push = (role: 'user' | 'assistant', content: string) => {
    const last = turns.at(-1);
    if (last?.role === role) last.content = `${last.content}\n\n${content}`;
    else turns.push({ role, content });
  };
  for (const message of messages) {
    if (Array.isArray(message.content)) droppedParts += message.content.filter((part) => part.type !== 'text').length;
    const content = textOf(message.content);
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(content);
        break;
      case 'user':
        push('user', content);
        break;
      case 'assistant':
        droppedToolCalls += message.tool_calls?.length ?? 0;
        if (content) push('assistant', content);
        break;
      case 'tool':
        push('user', `Tool result: ${content}`);
        break;
      case 'function':
        push('user', `${message.name} result: ${content}`);
        break;
    }
  }
  if (droppedParts) warnings.push(`aleph_alpha reads text only; ${droppedParts} non-text content part(s) were not sent`);
  if (droppedToolCalls) warnings.push(`aleph_alpha has no tool calls; ${droppedToolCalls} earlier tool call(s) were not sent (their results were sent as user text)`);
  return system.length ? [{ role: 'system', content: system.join('\n\n') }, ...turns] : turns;
}

function textOf(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!content) return '';
  return content.map((part) => ('text' in part && typeof part.text === 'string' ? part.text : '')).join('');
}
