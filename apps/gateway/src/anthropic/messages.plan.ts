import { convertMessagesRequest, parseMessagesRequest } from '@switchboard/api-anthropic';
import type { CallPlan } from '../lifecycle/call-plan';
import { authorizeModel, callerOf } from '../lifecycle/edge-request';
import type { EdgeRequest } from '../lifecycle/edge-request';
import { requestTimeouts, routeRequestFor, withoutRoutingFields } from '../routing/route-request';
import { AnthropicMessagesEncoder } from './anthropic-messages.encoder';

/** An Anthropic Messages request as the pipeline's plan: translated to the canonical chat request. */
export function messagesPlan(request: EdgeRequest, body: unknown): CallPlan {
  const messagesRequest = parseMessagesRequest(body);
  authorizeModel(request, messagesRequest.model);
  const chat = convertMessagesRequest(messagesRequest);
  // Forwarded to Anthropic deployments (Anthropic adapters read them; other providers ignore them).
  const beta = request.headers['anthropic-beta'];
  if (typeof beta === 'string' && beta) chat.anthropic_beta = beta;
  const messageId = `msg_${request.requestId.slice(4)}`;
  return {
    requestId: request.requestId,
    edge: request.edge,
    api: 'messages',
    verified: request.verified,
    caller: callerOf(request, chat.user),
    route: routeRequestFor(chat.model, messagesRequest, request.headers, chat.messages),
    stream: chat.stream === true,
    maxTokens: messagesRequest.max_tokens,
    timeouts: requestTimeouts(messagesRequest, request.headers),
    command: { kind: 'chat', request: withoutRoutingFields(chat) },
    spanRequest: chat,
    traceCarrier: request.headers,
    spanAttributes: request.spanAttributes,
    encoder: () => new AnthropicMessagesEncoder(request.requestId, messageId, chat.model),
    errorFormat: 'anthropic',
  };
}
