import { parseChatRequest } from '@switchboard/api-openai';
import { cacheFieldsOf } from '../cache/cache-controls';
import type { CallPlan } from '../lifecycle/call-plan';
import { callerOf } from '../lifecycle/edge-request';
import type { EdgeRequest } from '../lifecycle/edge-request';
import { requestTimeouts, requestsByModelGroup, routeRequestFor, withoutRoutingFields } from '../routing/route-request';
import { OpenAiChatEncoder } from './openai-chat.encoder';

/** A Chat Completions request, on any edge, as the pipeline's plan. */
export function chatPlan(request: EdgeRequest, body: unknown): CallPlan {
  const chat = parseChatRequest(body);
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
    maxTokens: chat.max_completion_tokens ?? chat.max_tokens ?? undefined,
    timeouts: requestTimeouts(chat, request.headers),
    command: (modelGroup) => ({ kind: 'chat', request: forwarded(modelGroup) }),
    spanRequest: chat,
    traceCarrier: request.headers,
    spanAttributes: request.spanAttributes,
    encoder: () => new OpenAiChatEncoder(request.requestId, chat.model, includeUsage),
    errorFormat: 'openai',
    cacheFields: cacheFieldsOf(body),
  };
}
