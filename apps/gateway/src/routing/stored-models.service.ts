import { Inject, Injectable } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import type { ModelDeployment, SwitchboardConfig } from '@switchboard/config';
import { authSubjects } from '@switchboard/contracts';
import type { ListModelsReply, StoredModel, SubjectNamespace } from '@switchboard/contracts';
import { NATS_CONNECTION, decodeJson } from '@switchboard/messaging';
import type { Logger } from '@switchboard/observability';
import { splitModel } from '@switchboard/provider-utils';
import type { DeploymentParams } from '@switchboard/spec';
import { GATEWAY_SETTINGS, LOGGER, SUBJECT_NAMESPACE, SWITCHBOARD_CONFIG } from '../bootstrap/tokens';
import type { GatewaySettings } from '../gateway-settings.schema';
import { ModelRouter } from './model-router.service';

const retryMs = 1_000;

/**
 * Keeps the routable deployments = the config's plus those stored in the database (`/model/new`),
 * loaded from the auth service at start and again on every `changed` event that says `models`.
 * Stored credentials stay encrypted here; the worker decrypts them.
 */
@Injectable()
export class StoredModelsService {
  private retry: NodeJS.Timeout | undefined;
  private generation = 0;

  constructor(
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
    @Inject(SUBJECT_NAMESPACE) private readonly namespace: SubjectNamespace,
    @Inject(SWITCHBOARD_CONFIG) private readonly config: SwitchboardConfig,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
    @Inject(ModelRouter) private readonly router: ModelRouter,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Loads the stored models; while the auth service is unreachable, retries every second in the background. */
  async reload(): Promise<void> {
    const generation = ++this.generation;
    clearTimeout(this.retry);
    try {
      const message = await this.connection.request(authSubjects.listModels(this.namespace), new Uint8Array(), { timeout: this.settings.AUTH_TIMEOUT_MS });
      const reply = decodeJson<ListModelsReply>(message.data);
      if (generation !== this.generation || !Array.isArray(reply.models)) return;
      this.router.setDeployments([...this.config.modelList, ...reply.models.map(toDeployment)]);
    } catch {
      if (this.connection.isClosed()) return;
      this.logger.debug('stored models not loaded yet (auth service unreachable); retrying');
      this.retry = setTimeout(() => void this.reload(), retryMs);
      this.retry.unref();
    }
  }

  stop(): void {
    clearTimeout(this.retry);
    this.generation++;
  }
}

function toDeployment(model: StoredModel): ModelDeployment {
  return {
    id: model.model_id,
    modelName: model.model_name,
    provider: splitModel(model.litellm_params.model).provider,
    params: model.litellm_params as DeploymentParams,
    info: { ...model.model_info, db_model: true },
  };
}
