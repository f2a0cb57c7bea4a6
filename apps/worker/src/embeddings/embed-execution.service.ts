import { Inject, Injectable } from '@nestjs/common';
import type { EmbedCommandV1 } from '@switchboard/contracts';
import type { BusContext } from '@switchboard/messaging';
import { CredentialScrubber, networkError, resolveDeployment } from '@switchboard/provider-utils';
import { SwitchboardError } from '@switchboard/spec';
import type { DeploymentParams, EmbeddingRequest, ProviderAdapter } from '@switchboard/spec';
import { InFlightRegistry } from '../chat/in-flight-registry';
import { storedCredentialDecrypter } from '../bootstrap/stored-credentials';
import { PROVIDER_REGISTRY, WORKER_ENVIRONMENT, WORKER_SETTINGS } from '../bootstrap/tokens';
import type { WorkerSettings } from '../worker-settings.schema';
import { UsageRecorder } from '../usage/usage-recorder.service';
import { UsageTracker, trackedCall } from '../usage/usage-tracker';

/** Runs one embedding command and records its usage event. */
@Injectable()
export class EmbedExecutionService {
  constructor(
    @Inject(PROVIDER_REGISTRY) private readonly providers: ReadonlyMap<string, ProviderAdapter>,
    @Inject(WORKER_ENVIRONMENT) private readonly environment: Readonly<Record<string, string | undefined>>,
    @Inject(InFlightRegistry) private readonly inFlight: InFlightRegistry,
    @Inject(UsageRecorder) private readonly usage: UsageRecorder,
    @Inject(WORKER_SETTINGS) private readonly settings: WorkerSettings,
  ) {
    this.decrypt = storedCredentialDecrypter(environment);
  }

  private readonly decrypt: ((value: string) => string) | undefined;

  async execute(command: EmbedCommandV1, { reply }: BusContext): Promise<void> {
    const params = command.deployment.params as DeploymentParams;
    const resolved = resolveDeployment(command.deployment.id, params, this.environment, this.decrypt);
    const deployment = { ...resolved, timeoutMs: command.timeoutMs ?? resolved.timeoutMs };
    // Nothing the upstream said leaves this worker with the credentials it was sent.
    const scrubber = new CredentialScrubber(params, deployment);
    const tracker = new UsageTracker(trackedCall(command, deployment, 'embedding', false, this.settings.WORKER_ID), undefined);
    const controller = this.inFlight.register(command.requestId);
    const timer = setTimeout(
      () => controller.abort(new SwitchboardError('upstream_timeout', 'The upstream provider did not answer in time')),
      deployment.timeoutMs,
    );
    try {
      const adapter = this.providers.get(deployment.provider);
      if (!adapter?.embed) {
        throw new SwitchboardError('invalid_request', `Provider '${deployment.provider}' does not offer embeddings`, {
          param: 'model',
        });
      }
      const result = await adapter.embed({
        request: command.request as EmbeddingRequest,
        deployment,
        signal: controller.signal,
        requestId: command.requestId,
      });
      tracker.embedded(result.usage.inputTokens, result.usage.raw, result.model);
      reply.result(result);
    } catch (error) {
      const failure = scrubber.scrubError(networkError(error, controller.signal));
      tracker.failed(failure);
      reply.error(failure.toPayload());
    } finally {
      clearTimeout(timer);
      this.inFlight.release(command.requestId);
      const event = tracker.eventToPublish();
      if (event) this.usage.record(event);
    }
  }
}
