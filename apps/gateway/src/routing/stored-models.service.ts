import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import type { ModelDeployment, SwitchboardConfig } from '@switchboard/config';
import type { StoredModel, SubjectNamespace } from '@switchboard/contracts';
import { NATS_CONNECTION, watchStoredModels } from '@switchboard/messaging';
import type { StoredModelsWatch } from '@switchboard/messaging';
import { splitModel } from '@switchboard/provider-utils';
import type { DeploymentParams } from '@switchboard/spec';
import { GATEWAY_SETTINGS, SUBJECT_NAMESPACE, SWITCHBOARD_CONFIG } from '../bootstrap/tokens';
import type { GatewaySettings } from '../gateway-settings.schema';
import { ModelRouter } from './model-router.service';

/**
 * Keeps the routable deployments = the config's plus those stored in the database (`/model/new`),
 * from the auth service at start and on every `changed` event that says `models`. The gateway
 * serves config models meanwhile. Stored credentials stay encrypted here; the worker decrypts them.
 */
@Injectable()
export class StoredModelsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private watch: StoredModelsWatch | undefined;

  constructor(
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
    @Inject(SUBJECT_NAMESPACE) private readonly namespace: SubjectNamespace,
    @Inject(SWITCHBOARD_CONFIG) private readonly config: SwitchboardConfig,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
    @Inject(ModelRouter) private readonly router: ModelRouter,
  ) {}

  onApplicationBootstrap(): void {
    this.watch = watchStoredModels(this.connection, this.namespace, this.settings.AUTH_TIMEOUT_MS, (models) =>
      this.router.setDeployments([...this.config.modelList, ...models.map(storedDeployment)]),
    );
  }

  onApplicationShutdown(): void {
    this.watch?.stop();
  }
}

/** A stored model as a routable deployment. */
export function storedDeployment(model: StoredModel): ModelDeployment {
  return {
    id: model.model_id,
    modelName: model.model_name,
    provider: splitModel(model.litellm_params.model).provider,
    params: model.litellm_params as DeploymentParams,
    info: { ...model.model_info, db_model: true },
  };
}
