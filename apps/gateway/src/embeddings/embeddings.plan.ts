import { parseEmbeddingRequest } from '@switchboard/api-openai';
import { cacheFieldsOf } from '../cache/cache-controls';
import type { CallPlan } from '../lifecycle/call-plan';
import { callerOf } from '../lifecycle/edge-request';
import type { EdgeRequest } from '../lifecycle/edge-request';
import { requestTimeouts, requestsByModelGroup, routeRequestFor, withoutRoutingFields } from '../routing/route-request';
import { EmbeddingsEncoder } from './embeddings.encoder';

/** An embeddings request, on any edge, as the pipeline's plan. */
export function embeddingsPlan(request: EdgeRequest, body: unknown): CallPlan {
  const embedding = parseEmbeddingRequest(body);
  const forwarded = requestsByModelGroup(embedding, withoutRoutingFields(embedding), (merged) => withoutRoutingFields(parseEmbeddingRequest(merged)));
  return {
    requestId: request.requestId,
    edge: request.edge,
    api: 'embeddings',
    verified: request.verified,
    caller: callerOf(request, embedding.user),
    user: embedding.user,
    route: routeRequestFor(embedding.model, embedding, request.headers),
    stream: false,
    maxTokens: 0,
    timeouts: requestTimeouts(embedding, request.headers),
    command: (modelGroup) => ({ kind: 'embed', request: forwarded(modelGroup) }),
    spanRequest: { model: embedding.model },
    traceCarrier: request.headers,
    spanAttributes: request.spanAttributes,
    encoder: () => new EmbeddingsEncoder(embedding.encoding_format),
    errorFormat: 'openai',
    cacheFields: cacheFieldsOf(body),
  };
}
