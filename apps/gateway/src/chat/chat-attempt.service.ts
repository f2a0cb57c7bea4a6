import { Inject, Injectable } from '@nestjs/common';
import type { ModelDeployment } from '@switchboard/config';
import type { Caller } from '@switchboard/contracts';
import type { ReplyFrame } from '@switchboard/messaging';
import type { AttemptOutcome, RouteTrace } from '@switchboard/router';
import { SwitchboardError } from '@switchboard/spec';
import type { ChatRequest, EmbeddingRequest, StreamPart, Usage } from '@switchboard/spec';
import { WorkerDispatchService } from './worker-dispatch.service';
import type { Dispatch } from './worker-dispatch.service';

/** Whoever may walk away from a request (an HTTP client, a NATS caller): cancels the dispatch in flight. */
export interface CancellationScope {
  readonly closed: boolean;
  track(dispatch: Dispatch): void;
  release(): void;
}

/** Where the pump reads an answer's frames from: a worker's dispatch, or the replay of a stored answer. */
export interface AnswerFrames {
  next(): Promise<ReplyFrame>;
  /** Resolves when the frames the client has not taken yet pass `limit` bytes (a reader that stopped). */
  whenQueuedOver(limit: number): { reached: Promise<void>; cancel: () => void };
  cancel(): void;
  finish(): void;
}

/** An answer from the response cache (no worker, no upstream call): what the pipeline reports and bills. */
export interface CacheHit {
  key: string;
  /** Set by the semantic cache: how close the stored prompt was. */
  similarity?: number;
  /** The stored answer's usage, recorded at cost 0. */
  usage: Usage;
}

/** An answer that has started: the frames read so far, and the rest to come. */
export interface StartedReply {
  dispatch: AnswerFrames;
  deployment: ModelDeployment;
  buffered: ReplyFrame[];
  /** Set when a hook answered from the response cache. */
  cacheHit?: CacheHit;
}

export interface AttemptContext {
  requestId: string;
  caller: Caller;
  connection: CancellationScope;
  traceparent?: string;
  tracestate?: string;
  timeoutMs?: number;
  streamTimeoutMs?: number;
}

/** True when a parts frame carries something the client will see. */
export function hasOutput(parts: readonly StreamPart[]): boolean {
  return parts.some((part) => part.type !== 'response-metadata' && part.type !== 'warning' && part.type !== 'usage');
}

/**
 * One upstream attempt, as the router sees it: dispatch to a worker and read until the first
 * output (or the whole result). An error before that is a clean failure the router may retry or
 * fall back from; nothing has reached the client yet.
 */
@Injectable()
export class ChatAttemptService {
  constructor(@Inject(WorkerDispatchService) private readonly dispatcher: WorkerDispatchService) {}

  async chat(request: ChatRequest, deployment: ModelDeployment, trace: RouteTrace, context: AttemptContext): Promise<AttemptOutcome<StartedReply>> {
    return this.run(context, () =>
      this.dispatcher.chat(request, {
        requestId: context.requestId,
        deployment,
        caller: context.caller,
        traceparent: context.traceparent,
        tracestate: context.tracestate,
        attempt: attemptNumber(trace),
        timeoutMs: context.timeoutMs,
        streamTimeoutMs: context.streamTimeoutMs,
      }),
    deployment);
  }

  async embed(request: EmbeddingRequest, deployment: ModelDeployment, trace: RouteTrace, context: AttemptContext): Promise<AttemptOutcome<StartedReply>> {
    return this.run(context, () =>
      this.dispatcher.embed(request, {
        requestId: context.requestId,
        deployment,
        caller: context.caller,
        traceparent: context.traceparent,
        tracestate: context.tracestate,
        attempt: attemptNumber(trace),
        timeoutMs: context.timeoutMs,
      }),
    deployment);
  }

  private async run(context: AttemptContext, send: () => Dispatch, deployment: ModelDeployment, redispatched = false): Promise<AttemptOutcome<StartedReply>> {
    if (context.connection.closed) {
      return { ok: false, error: new SwitchboardError('cancelled', 'The client closed the connection'), outputStarted: false };
    }
    let dispatch: Dispatch;
    try {
      dispatch = send();
    } catch (error) {
      return { ok: false, error: SwitchboardError.from(error), outputStarted: false };
    }
    context.connection.track(dispatch);
    const buffered: ReplyFrame[] = [];
    for (;;) {
      const frame = await dispatch.next();
      if (frame.kind === 'error') {
        dispatch.finish();
        // No worker took it, or the one that did went silent (killed, restarting) before any output:
        // another worker of the queue group may take it, once, before the router sees a failure.
        if (frame.error.code === 'no_worker' && !redispatched && !context.connection.closed) return this.run(context, send, deployment, true);
        return { ok: false, error: frame.error, outputStarted: false };
      }
      buffered.push(frame);
      if (frame.kind === 'parts' && !hasOutput(frame.parts)) continue;
      return { ok: true, value: { dispatch, deployment, buffered } };
    }
  }
}

function attemptNumber(trace: RouteTrace): number {
  return 1 + trace.attemptedRetries + trace.attemptedFallbacks;
}
