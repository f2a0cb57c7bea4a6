import type { IncomingHttpHeaders } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import type { ModelDeployment } from '@switchboard/config';
import type { Logger } from '@switchboard/observability';
import type { ChatRequest } from '@switchboard/spec';
import { LOGGER } from '../bootstrap/tokens';
import type { StartedReply } from '../chat/chat-attempt.service';
import type { CallPlan } from '../lifecycle/call-plan';
import type { DeliveredAnswer, LifecycleHook } from '../lifecycle/lifecycle-hooks';
import { GatewayMetricsService } from '../metrics/gateway-metrics.service';
import { ModelRouter } from '../routing/model-router.service';
import { parseCacheControls } from './cache-controls';
import type { CacheControls } from './cache-controls';
import { cacheKeyOf, scopeOf, semanticBucketOf } from './cache-key';
import type { KeyMaterial } from './cache-key';
import { isCacheable, replayFrames, resultOfFrames, usageOfResult } from './cached-answer';
import type { CachedEntry } from './cached-answer';
import { replayOf } from './replay';
import { ResponseCacheService } from './response-cache.service';
import type { PromptEmbedding } from './response-cache.service';

/** What the lookup decided for one request, kept for the store after the answer. */
interface CacheDecision {
  key: string;
  controls: CacheControls;
  bucket?: string;
  embedding?: PromptEmbedding;
}

/**
 * The response cache as a lifecycle hook (docs/ARCHITECTURE.md D22, D26). Before routing (after
 * admission, so a hit counts toward rpm) it computes the request's key and answers from a stored
 * answer when there is one: no worker, no NATS hop, no upstream call. After a complete answer it
 * stores it, off the request path. `x-litellm-cache-key` and `x-litellm-cache-hit` say what happened.
 */
@Injectable()
export class ResponseCacheHook implements LifecycleHook {
  readonly recordsFrames = true;
  private readonly decisions = new WeakMap<CallPlan, CacheDecision>();

  constructor(
    @Inject(ResponseCacheService) private readonly cache: ResponseCacheService,
    @Inject(ModelRouter) private readonly router: ModelRouter,
    @Inject(GatewayMetricsService) private readonly metrics: GatewayMetricsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async beforeRouting(plan: CallPlan): Promise<StartedReply | undefined> {
    const settings = this.cache.settings;
    if (!settings || !settings.supportedCallTypes.has(plan.api)) return undefined;
    const controls = parseCacheControls(plan.cacheFields ?? {}, plan.traceCarrier as IncomingHttpHeaders, plan.verified);
    if (settings.mode === 'default_off' && !controls.useCache) return undefined;
    const modelGroup = plan.route.modelGroup;
    const material: KeyMaterial = { modelGroup, command: plan.command(modelGroup), tenant: scopeOf(settings.scope, plan.caller), namespace: controls.namespace ?? settings.namespace };
    const decision: CacheDecision = { key: cacheKeyOf(material), controls };
    if (this.cache.semanticEnabled && material.command.kind === 'chat') decision.bucket = semanticBucketOf(material);
    this.decisions.set(plan, decision);
    const headers = (plan.responseHeaders ??= {});
    headers['x-litellm-cache-key'] = decision.key;
    headers['x-litellm-cache-hit'] = 'False';
    if (controls.noCache) return undefined;
    const hit = await this.lookup(plan, decision);
    this.metrics.cacheLookup(plan, settings.type, hit !== undefined);
    if (!hit) return undefined;
    const deployment = this.deploymentOf(hit.entry, modelGroup);
    if (!deployment) return undefined;
    headers['x-litellm-cache-hit'] = 'True';
    headers['x-litellm-cache-key'] = hit.key;
    if (hit.similarity !== undefined) headers['x-litellm-semantic-similarity'] = hit.similarity.toFixed(4);
    const now = Date.now();
    const frames = replayFrames(hit.entry.result, plan.stream, freshIdOf(plan), now);
    return replayOf(frames, deployment, { key: hit.key, similarity: hit.similarity, usage: usageOfResult(hit.entry.result) });
  }

  afterAnswer(plan: CallPlan, answer: DeliveredAnswer): void {
    const decision = this.decisions.get(plan);
    if (!decision || decision.controls.noStore || answer.started.cacheHit || !answer.frames) return;
    const result = resultOfFrames(answer.frames);
    if (!result || !isCacheable(result)) return;
    const entry: CachedEntry = {
      v: 1,
      kind: 'choices' in result ? 'chat' : 'embedding',
      storedAt: Date.now(),
      deploymentId: answer.started.deployment.id,
      modelGroup: plan.route.modelGroup,
      result,
    };
    const ttl = this.cache.ttlSeconds(decision.controls.ttlSeconds);
    void this.store(plan, decision, entry, ttl).catch((error: unknown) => this.logger.warn({ requestId: plan.requestId, err: error }, 'response cache: store failed'));
  }

  private async store(plan: CallPlan, decision: CacheDecision, entry: CachedEntry, ttl: number): Promise<void> {
    if (ttl <= 0) return;
    let semantic: { bucket: string; vector: number[] } | undefined;
    if (decision.bucket) {
      // The prompt was embedded at lookup; when the lookup was skipped (no-cache), embed it now, after the answer.
      const embedding = decision.embedding ?? (await this.cache.embed(plan.requestId, plan.caller, promptTextOf(plan)));
      if (embedding) semantic = { bucket: decision.bucket, vector: embedding.vector };
    }
    await this.cache.put(decision.key, entry, ttl, semantic);
  }

  private async lookup(plan: CallPlan, decision: CacheDecision): Promise<{ key: string; entry: CachedEntry; similarity?: number } | undefined> {
    const maxAgeMs = decision.controls.maxAgeSeconds === undefined ? undefined : decision.controls.maxAgeSeconds * 1000;
    const fresh = (entry: CachedEntry | undefined) => (entry && (maxAgeMs === undefined || Date.now() - entry.storedAt <= maxAgeMs) ? entry : undefined);
    const exact = fresh(await this.cache.get(decision.key));
    if (exact) return { key: decision.key, entry: exact };
    if (!decision.bucket) return undefined;
    const text = promptTextOf(plan);
    if (!text) return undefined;
    const embedding = await this.cache.embed(plan.requestId, plan.caller, text);
    if (!embedding) return undefined;
    decision.embedding = embedding;
    (plan.sideUsage ??= []).push({ modelGroup: embedding.modelGroup, deploymentId: embedding.deploymentId, usage: embedding.usage });
    const match = await this.cache.nearest(decision.bucket, embedding.vector);
    const threshold = this.cache.settings?.similarityThreshold ?? 1;
    if (!match || match.similarity < threshold) return undefined;
    const entry = fresh(await this.cache.get(match.key));
    return entry ? { key: match.key, entry, similarity: match.similarity } : undefined;
  }

  /** The deployment that answered the stored entry, or (gone since) any of the group's. */
  private deploymentOf(entry: CachedEntry, modelGroup: string): ModelDeployment | undefined {
    const deployments = this.router.allDeployments();
    return deployments.find((deployment) => deployment.id === entry.deploymentId && deployment.modelName === modelGroup) ?? deployments.find((deployment) => deployment.modelName === modelGroup);
  }
}

/** A new completion id for a hit, as a new answer would have (`chatcmpl-<request id>`). */
function freshIdOf(plan: CallPlan): string {
  return `chatcmpl-${plan.requestId}`;
}

/** The text the semantic cache embeds: every message's text, role by role (LiteLLM embeds the messages' content). */
export function promptTextOf(plan: CallPlan): string {
  const command = plan.command(plan.route.modelGroup);
  if (command.kind !== 'chat') return '';
  return (command.request as ChatRequest).messages
    .map((message) => {
      const content = message.content;
      const text = typeof content === 'string' ? content : Array.isArray(content) ? content.map((part) => ('text' in part && typeof part.text === 'string' ? part.text : '')).join(' ') : '';
      return `${message.role}: ${text}`;
    })
    .join('\n');
}
