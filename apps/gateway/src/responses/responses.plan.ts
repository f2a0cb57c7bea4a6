import { parseResponsesRequest } from '@switchboard/api-responses';
import { cacheFieldsOf } from '../cache/cache-controls';
import type { CallPlan } from '../lifecycle/call-plan';
import { callerOf } from '../lifecycle/edge-request';
import type { EdgeRequest } from '../lifecycle/edge-request';
import { requestTimeouts, requestsByModelGroup, routeRequestFor, withoutRoutingFields } from '../routing/route-request';
import type { ResponsesService } from './responses.service';

/**
 * A Responses request as the pipeline's plan: `previous_response_id` resolved (this key's only),
 * bridged to chat, and preferring the deployment that answered the previous turn.
 */
export async function responsesPlan(request: EdgeRequest, body: unknown, responses: ResponsesService): Promise<CallPlan> {
  const startedAt = Date.now();
  const responsesRequest = parseResponsesRequest(body);
  const caller = callerOf(request, responsesRequest.user);
  const call = await responses.prepare(responsesRequest, caller);
  const chat = call.chat;
  const forwarded = requestsByModelGroup(responsesRequest, withoutRoutingFields(chat), (merged) => withoutRoutingFields(responses.chatFor(call, parseResponsesRequest(merged))));
  return {
    requestId: request.requestId,
    edge: request.edge,
    api: 'responses',
    verified: request.verified,
    caller,
    user: responsesRequest.user,
    route: { ...routeRequestFor(chat.model, responsesRequest, request.headers, chat.messages), preferDeploymentId: call.previousDeploymentId },
    stream: chat.stream === true,
    maxTokens: chat.max_tokens ?? undefined,
    timeouts: requestTimeouts(responsesRequest, request.headers),
    command: (modelGroup) => ({ kind: 'chat', request: forwarded(modelGroup) }),
    spanRequest: chat,
    traceCarrier: request.headers,
    spanAttributes: request.spanAttributes,
    encoder: (started) => responses.encoder(call, started, request.requestId, startedAt),
    errorFormat: 'openai',
    cacheFields: cacheFieldsOf(body),
  };
}
