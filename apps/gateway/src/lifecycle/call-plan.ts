import type { Caller } from '@switchboard/contracts';
import type { Attributes } from '@switchboard/observability';
import type { RouteRequest } from '@switchboard/router';
import type { ChatRequest, EmbeddingRequest, SwitchboardError, Usage } from '@switchboard/spec';
import type { VerifiedKey } from '../auth/key-verifier';
import type { RequestCacheFields } from '../cache/cache-controls';
import type { StartedReply } from '../chat/chat-attempt.service';
import type { RequestTimeouts } from '../routing/route-request';
import type { TraceCarrier } from '../tracing/request-span';
import type { AnswerEncoder } from './answer-encoder';

/** The client API a request speaks: its usage call type, span operation and metrics route. */
export type ClientApi = 'chat' | 'embeddings' | 'messages' | 'responses';

export type Edge = 'http' | 'nats';

/** What one attempt sends to a worker; the model is replaced by the deployment's model group name. */
export type WorkerCommand = { kind: 'chat'; request: ChatRequest } | { kind: 'embed'; request: EmbeddingRequest };

/**
 * One request, parsed by its edge into everything the pipeline needs (docs/ARCHITECTURE.md D21):
 * where it goes (route, fallbacks), who pays (caller), how long it may take (timeouts), how much it
 * may cost (max tokens), what the worker gets (command), and how its answer is encoded for its
 * client API (encoder). Edges differ only in how they build this and the sink they give.
 */
export interface CallPlan {
  requestId: string;
  edge: Edge;
  api: ClientApi;
  route: RouteRequest;
  caller: Caller;
  /** The request's end user as its API names it (`user`; Anthropic: `metadata.user_id`), for `enforce_user_param`. */
  user?: string;
  verified?: VerifiedKey;
  stream: boolean;
  /** The request's maximum output, for the budget reservation (undefined: the default estimate). */
  maxTokens?: number;
  /** `timeout` / `x-litellm-timeout` and `stream_timeout` / `x-litellm-stream-timeout`, on every edge and API. */
  timeouts: RequestTimeouts;
  /** The worker command for a model group: the request, or a fallback entry's own fields (`{model, messages}`). */
  command: (modelGroup: string) => WorkerCommand;
  /** What the span records about the request (model and sampling parameters; never the prompt). */
  spanRequest: Pick<ChatRequest, 'model'> & Partial<ChatRequest>;
  /** The caller's W3C trace context (HTTP headers, or the NATS message's). */
  traceCarrier: TraceCarrier;
  spanAttributes?: Attributes;
  /** The answer's encoder for this client API, made once the answering deployment is known. */
  encoder: (started: StartedReply) => AnswerEncoder;
  /** Refusals before routing in this API's error format (Anthropic routes differ). */
  errorFormat: 'openai' | 'anthropic';
  /** LiteLLM's `cache` / `caching` body fields, read by the response cache (never sent upstream). */
  cacheFields?: RequestCacheFields;
  /** Headers hooks add to the answer (the cache's `x-litellm-cache-key`, `x-litellm-cache-hit`). */
  responseHeaders?: Record<string, string>;
  /** Calls a hook made for this request (the semantic cache's prompt embedding): settled with the request's budgets. */
  sideUsage?: SideUsage[];
}

/** What a hook's own upstream call used, priced by its own model group and deployment. */
export interface SideUsage {
  modelGroup: string;
  deploymentId: string;
  usage: Usage;
}

/** A request that ended before any output, with why: what hooks and the failure path see. */
export interface FailedCall {
  plan: CallPlan;
  error: SwitchboardError;
}
