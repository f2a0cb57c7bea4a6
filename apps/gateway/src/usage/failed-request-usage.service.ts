import { Inject, Injectable } from '@nestjs/common';
import type { BeforeApplicationShutdown } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { usageMessageId, usageSubjects } from '@switchboard/contracts';
import type { Caller, SubjectNamespace, UsageEventV1 } from '@switchboard/contracts';
import { EventPublisher, NATS_CONNECTION } from '@switchboard/messaging';
import type { Logger } from '@switchboard/observability';
import type { RouteTrace } from '@switchboard/router';
import type { SwitchboardError, Usage } from '@switchboard/spec';
import type { CacheHit } from '../chat/chat-attempt.service';
import { GATEWAY_SETTINGS, LOGGER, SUBJECT_NAMESPACE } from '../bootstrap/tokens';
import type { GatewaySettings } from '../gateway-settings.schema';

export interface FailedRequest {
  requestId: string;
  callType: UsageEventV1['callType'];
  stream: boolean;
  receivedAt: number;
  caller: Caller;
  trace: RouteTrace;
  error: SwitchboardError;
  /** What the request used, when the gateway has to say it (a worker lost mid-answer): estimated. */
  usage?: Usage;
}



/** A request answered from the response cache: no worker took part, so the gateway records it. */
export interface CacheHitRequest {
  requestId: string;
  callType: UsageEventV1['callType'];
  stream: boolean;
  receivedAt: number;
  caller: Caller;
  trace: RouteTrace;
  /** The client went away before the replay was complete. */
  clientClosed: boolean;
  cacheHit: CacheHit;
}

/**
 * The usage events the gateway publishes itself, one per request like every other: a request
 * whose every attempt failed before any output (zero tokens), a worker lost mid-answer (estimated),
 * and an answer from the response cache (the stored answer's tokens, flagged `cacheHit`, cost 0).
 */
@Injectable()
export class FailedRequestUsageService implements BeforeApplicationShutdown {
  private readonly publisher: EventPublisher;
  private readonly subject: string;
  private readonly delayed = new Map<NodeJS.Timeout, UsageEventV1>();

  constructor(
    @Inject(NATS_CONNECTION) connection: NatsConnection,
    @Inject(SUBJECT_NAMESPACE) namespace: SubjectNamespace,
    @Inject(LOGGER) logger: Logger,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
  ) {
    this.subject = usageSubjects.recorded(namespace);
    this.publisher = new EventPublisher(connection, {
      onRetry: (requestId, error) => logger.warn({ requestId, err: error }, 'usage event not stored yet; retrying'),
    });
  }

  record(failure: FailedRequest): void {
    const event = this.eventOf(failure);
    this.publisher.publish(this.subject, usageMessageId(event), event);
  }

  /**
   * The usage of a request whose worker went silent after output reached the client: estimated
   * from what was delivered, published after a grace period under the request's own message id
   * (so the worker's exact event wins if it was only slow). Billed once either way.
   */
  recordLostWorker(failure: FailedRequest): void {
    const event = { ...this.eventOf(failure), status: 'error' as const };
    // A worker that was only slow records the exact usage first; the stream's duplicate window
    // (same message id) then drops this estimate.
    const timer = setTimeout(() => {
      this.delayed.delete(timer);
      this.publisher.publish(this.subject, usageMessageId(event), event);
    }, this.settings.LOST_WORKER_USAGE_GRACE_MS);
    this.delayed.set(timer, event);
  }

  /** One event per cache hit, flagged: the budget service prices it at 0 and the spend log says `cache_hit`. */
  recordCacheHit(hit: CacheHitRequest): void {
    const deployment = hit.trace.deployment;
    const event: UsageEventV1 = {
      v: 1,
      requestId: hit.requestId,
      occurredAt: new Date().toISOString(),
      callType: hit.callType,
      stream: hit.stream,
      status: hit.clientClosed ? 'cancelled' : 'success',
      ...(hit.clientClosed ? { errorCode: 'client_closed' } : {}),
      provider: deployment?.provider ?? 'none',
      modelGroup: hit.trace.modelGroup,
      deploymentId: deployment?.id ?? 'none',
      upstreamModel: deployment ? String(deployment.params.model) : 'none',
      usage: hit.cacheHit.usage,
      latencyMs: Math.max(0, Date.now() - hit.receivedAt),
      caller: hit.caller,
      attempt: 1,
      cacheHit: true,
      cacheKey: hit.cacheHit.key,
    };
    this.publisher.publish(this.subject, usageMessageId(event), event);
  }

  private eventOf(failure: FailedRequest): UsageEventV1 {
    const deployment = failure.trace.deployment;
    const event: UsageEventV1 = {
      v: 1,
      requestId: failure.requestId,
      occurredAt: new Date().toISOString(),
      callType: failure.callType,
      stream: failure.stream,
      status: failure.error.code === 'cancelled' ? 'cancelled' : 'error',
      errorCode: failure.error.code,
      provider: deployment?.provider ?? 'none',
      modelGroup: failure.trace.modelGroup,
      deploymentId: deployment?.id ?? 'none',
      upstreamModel: deployment ? String(deployment.params.model) : 'none',
      usage: failure.usage ?? {
        inputTokens: { total: 0, noCache: 0, cacheRead: 0, cacheWrite: 0 },
        outputTokens: { total: 0, text: 0, reasoning: 0 },
      },
      latencyMs: Math.max(0, Date.now() - failure.receivedAt),
      caller: failure.caller,
      attempt: 1 + failure.trace.attemptedRetries + failure.trace.attemptedFallbacks,
    };
    return event;
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Waiting estimates go out now: exiting must not lose a request's only record.
    for (const [timer, event] of this.delayed) {
      clearTimeout(timer);
      this.publisher.publish(this.subject, usageMessageId(event), event);
    }
    this.delayed.clear();
    await this.publisher.flush(5_000);
  }
}
