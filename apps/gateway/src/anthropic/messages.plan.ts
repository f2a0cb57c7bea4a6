import { convertMessagesRequest, parseMessagesRequest } from '@switchboard/api-anthropic';
import type { MessagesRequest } from '@switchboard/api-anthropic';
import type { ChatRequest } from '@switchboard/spec';
import { cacheFieldsOf } from '../cache/cache-controls';
import type { CallPlan } from '../lifecycle/call-plan';
import { callerOf } from '../lifecycle/edge-request';
import type { EdgeRequest } from '../lifecycle/edge-request';
import { requestTimeouts, requestsByModelGroup, routeRequestFor, withoutRoutingFields } from '../routing/route-request';
import { AnthropicMessagesEncoder } from './anthropic-messages.encoder';

/** An Anthropic Messages request as the pipeline's plan: translated to the canonical chat request. */
export function messagesPlan(request: EdgeRequest, body: unknown): CallPlan {
  const messagesRequest = parseMessagesRequest(body);
  // `anthropic-beta` is forwarded to Anthropic deployments (Anthropic adapters read it; other providers ignore it).
  const beta = request.headers['anthropic-beta'];
  const toChat = (parsed: MessagesRequest): ChatRequest => {
    const converted = convertMessagesRequest(parsed);
    if (typeof beta === 'string' && beta) converted.anthropic_beta = beta;
    return withoutRoutingFields(converted);
  };
  const chat = toChat(messagesRequest);
  const forwarded = requestsByModelGroup(messagesRequest, chat, (merged) => toChat(parseMessagesRequest(merged)));
  const messageId = `msg_${request.requestId.slice(4)}`;
  return {
    requestId: request.requestId,
    edge: request.edge,
    api: 'messages',
    verified: request.verified,
    caller: callerOf(request, chat.user),
    user: chat.user,
    route: routeRequestFor(chat.model, messagesRequest, request.headers, chat.messages),
    stream: chat.stream === true,
    maxTokens: messagesRequest.max_tokens,
    timeouts: requestTimeouts(messagesRequest, request.headers),
    command: (modelGroup) => ({ kind: 'chat', request: forwarded(modelGroup) }),
    spanRequest: chat,
    traceCarrier: request.headers,
    spanAttributes: request.spanAttributes,
    encoder: () => new AnthropicMessagesEncoder(request.requestId, messageId, chat.model),
    errorFormat: 'anthropic',
    cacheFields: cacheFieldsOf(body),
  };
}
