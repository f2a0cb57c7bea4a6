import { Inject, Injectable } from '@nestjs/common';
import type { ChatCommandV1 } from '@switchboard/contracts';
import type { BusContext, ReplyWriter } from '@switchboard/messaging';
import { CredentialScrubber, networkError, resolveDeployment } from '@switchboard/provider-utils';
import { SwitchboardError } from '@switchboard/spec';
import type { ChatRequest, DeploymentParams, ProviderAdapter, ResolvedDeployment, StreamPart } from '@switchboard/spec';
import { storedCredentialDecrypter } from '../bootstrap/stored-credentials';
import { PROVIDER_REGISTRY, WORKER_ENVIRONMENT, WORKER_SETTINGS } from '../bootstrap/tokens';
import type { WorkerSettings } from '../worker-settings.schema';
import { UsageRecorder } from '../usage/usage-recorder.service';
import { UsageTracker, trackedCall } from '../usage/usage-tracker';
import { InFlightRegistry } from './in-flight-registry';
import { CallSpans } from '../tracing/call-spans';

/**
 * Runs one chat command: resolves the deployment, calls the adapter, streams parts back, and
 * records exactly one usage event whatever the outcome.
 */
@Injectable()
export class ChatExecutionService {
  constructor(
    @Inject(PROVIDER_REGISTRY) private readonly providers: ReadonlyMap<string, ProviderAdapter>,
    @Inject(WORKER_ENVIRONMENT) private readonly environment: Readonly<Record<string, string | undefined>>,
    @Inject(InFlightRegistry) private readonly inFlight: InFlightRegistry,
    @Inject(UsageRecorder) private readonly usage: UsageRecorder,
    @Inject(WORKER_SETTINGS) private readonly settings: WorkerSettings,
    @Inject(CallSpans) private readonly spans: CallSpans,
  ) {
    this.decrypt = storedCredentialDecrypter(environment);
  }

  private readonly decrypt: ((value: string) => string) | undefined;

  async execute(command: ChatCommandV1, { message, reply }: BusContext): Promise<void> {
    const span = this.spans.start(message, command);
    const request = command.request as ChatRequest;
    const params = command.deployment.params as DeploymentParams;
    const resolved = resolveDeployment(command.deployment.id, params, this.environment, this.decrypt);
    const deployment: ResolvedDeployment = {
      ...resolved,
      timeoutMs: command.timeoutMs ?? resolved.timeoutMs,
      streamTimeoutMs: command.streamTimeoutMs ?? resolved.streamTimeoutMs,
    };
    // Nothing the upstream said leaves this worker with the credentials it was sent.
    const scrubber = new CredentialScrubber(params, deployment);
    const startedAt = Date.now();
    const tracker = new UsageTracker(trackedCall(command, deployment, 'chat', command.stream, this.settings.WORKER_ID), request);
    const controller = this.inFlight.register(command.requestId);
    const totalTimer = setTimeout(
      () => controller.abort(timeoutError(deployment.timeoutMs, 'total')),
      deployment.timeoutMs,
    );
    try {
      const adapter = this.adapterFor(deployment);
      const options = { request, deployment, signal: controller.signal, requestId: command.requestId };
      if (!command.stream) {
        const result = await adapter.chat(options);
        tracker.completed(result);
        reply.result({ ...result, upstreamLatencyMs: Date.now() - startedAt });
        return;
      }
      const parts = await adapter.chatStream(options);
      await this.pipeStream(parts, deployment, controller, tracker, reply, startedAt, scrubber);
    } catch (error) {
      const failure = scrubber.scrubError(networkError(error, controller.signal));
      tracker.failed(failure);
      reply.error(failure.toPayload());
    } finally {
      clearTimeout(totalTimer);
      this.inFlight.release(command.requestId);
      const event = tracker.eventToPublish();
      if (event) this.usage.record(span.traceparent ? { ...event, traceparent: span.traceparent } : event);
      span.end(tracker.event());
    }
  }

  private async pipeStream(
    parts: AsyncIterable<StreamPart>,
    deployment: ResolvedDeployment,
    controller: AbortController,
    tracker: UsageTracker,
    reply: ReplyWriter,
    startedAt: number,
    scrubber: CredentialScrubber,
  ): Promise<void> {
    const firstTokenTimer = deployment.streamTimeoutMs
      ? setTimeout(() => {
          if (!tracker.hasOutput) controller.abort(timeoutError(deployment.streamTimeoutMs ?? 0, 'first token'));
        }, deployment.streamTimeoutMs)
      : undefined;
    try {
      for await (const part of parts) {
        if (part.type === 'error') {
          const payload = scrubber.scrubPayload(part.error);
          // Before any output, an error is still a clean failure the gateway can answer (or retry).
          if (!tracker.hasOutput) throw SwitchboardError.fromPayload(payload);
          const failure = SwitchboardError.fromPayload(payload);
          tracker.failed(controller.signal.aborted ? scrubber.scrubError(networkError(failure, controller.signal)) : failure);
          reply.error(payload);
          return;
        }
        tracker.observe(part);
        reply.part(part.type === 'response-metadata' ? { ...part, upstreamLatencyMs: Date.now() - startedAt } : part);
      }
      if (controller.signal.aborted) throw networkError(new Error('aborted'), controller.signal);
      reply.end();
    } finally {
      clearTimeout(firstTokenTimer);
    }
  }

  private adapterFor(deployment: ResolvedDeployment): ProviderAdapter {
    const adapter = this.providers.get(deployment.provider);
    if (!adapter) {
      throw new SwitchboardError('invalid_request', `Provider '${deployment.provider}' is not supported by this worker`, {
        status: 500,
        retryable: false,
      });
    }
    return adapter;
  }
}

function timeoutError(milliseconds: number, what: 'total' | 'first token'): SwitchboardError {
  return new SwitchboardError('upstream_timeout', `The upstream provider exceeded the ${what} timeout of ${milliseconds / 1000} s`);
}
