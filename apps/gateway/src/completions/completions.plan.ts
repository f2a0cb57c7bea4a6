import { parseChatRequest } from '@switchboard/api-openai';
import { SwitchboardError } from '@switchboard/spec';
import type { CallPlan } from '../lifecycle/call-plan';
import { callerOf } from '../lifecycle/edge-request';
import type { EdgeRequest } from '../lifecycle/edge-request';
import { requestTimeouts, requestsByModelGroup, routeRequestFor, withoutRoutingFields } from '../routing/route-request';
import { TextCompletionEncoder } from './text-completion.encoder';

/** Legacy Completions fields with no chat equivalent: refused by name when they ask for something, never ignored. */
function refuseUnsupported(body: Record<string, unknown>): void {
  const refusals: Array<[string, boolean]> = [
    ['echo', body.echo === true],
    ['suffix', typeof body.suffix === 'string' && body.suffix !== ''],
    ['best_of', typeof body.best_of === 'number' && body.best_of > 1],
    ['logprobs', body.logprobs !== undefined && body.logprobs !== null && body.logprobs !== 0],
  ];
  for (const [field, refused] of refusals) {
    if (refused) throw new SwitchboardError('invalid_request', `'${field}' is not supported on /v1/completions here (it runs over the chat API)`, { param: field });
  }
}

/** The prompt as one user message: a string, or a list holding one string (LiteLLM's batch lists are one request each). */
function promptText(prompt: unknown): string {
  if (typeof prompt === 'string') return prompt;
  if (Array.isArray(prompt) && prompt.length === 1 && typeof prompt[0] === 'string') return prompt[0];
  if (Array.isArray(prompt) && prompt.every((item) => typeof item === 'string')) {
    throw new SwitchboardError('invalid_request', "'prompt' with several prompts is not supported: send one request per prompt", { param: 'prompt' });
  }
  throw new SwitchboardError('invalid_request', "'prompt' must be a string (token arrays are not supported)", { param: 'prompt' });
}

/** The chat request a legacy Completions body stands for: its prompt as the user message, every other field kept. */
export function chatBodyOfCompletion(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new SwitchboardError('invalid_request', 'The request body must be a JSON object', { param: null });
  const { prompt, echo: _echo, suffix: _suffix, best_of: _bestOf, logprobs: _logprobs, ...rest } = body as Record<string, unknown>;
  refuseUnsupported(body as Record<string, unknown>);
  if (prompt === undefined) throw new SwitchboardError('invalid_request', "you must provide a 'prompt' parameter", { param: 'prompt' });
  return { ...rest, messages: [{ role: 'user', content: promptText(prompt) }] };
}

/** A legacy `POST /v1/completions` request, on any edge, as the pipeline's plan (over the chat path of every provider). */
export function completionsPlan(request: EdgeRequest, body: unknown): CallPlan {
  const chat = parseChatRequest(chatBodyOfCompletion(body));
  const includeUsage = chat.stream_options?.include_usage === true;
  const forwarded = requestsByModelGroup(chat, withoutRoutingFields(chat), (merged) => withoutRoutingFields(parseChatRequest(merged)));
  return {
    requestId: request.requestId,
    edge: request.edge,
    api: 'chat',
    verified: request.verified,
    caller: callerOf(request, chat.user),
    user: chat.user,
    route: routeRequestFor(chat.model, chat, request.headers, chat.messages),
    stream: chat.stream === true,
    maxTokens: chat.max_tokens ?? undefined,
    timeouts: requestTimeouts(chat, request.headers),
    command: (modelGroup) => ({ kind: 'chat', request: forwarded(modelGroup) }),
    spanRequest: chat,
    traceCarrier: request.headers,
    spanAttributes: request.spanAttributes,
    encoder: () => new TextCompletionEncoder(request.requestId, chat.model, includeUsage),
    errorFormat: 'openai',
  };
}
