import { MessagesController } from '../anthropic/messages.controller';
import { CacheController } from '../cache/cache.controller';
import { ChatController } from '../chat/chat.controller';
import { CompletionsController } from '../completions/completions.controller';
import { EmbeddingsController } from '../embeddings/embeddings.controller';
import { DeploymentHealthController } from '../health/deployment-health.controller';
import { HealthController } from '../health/health.controller';
import { ManagementController } from '../management/management.controller';
import { ModelsController } from '../models/models.controller';
import { NatsApiController } from '../nats-ingress/nats-api.controller';
import { OpenApiController } from '../openapi/openapi.controller';
import { ResponsesController } from '../responses/responses.controller';
import { ConfigSettingsController } from '../settings/config-settings.controller';
import { SpendController } from '../spend/spend.controller';
import { uiControllers } from '../ui/ui.providers';
import { UtilsController } from '../utils/utils.controller';

/** Every controller of the gateway (HTTP routes, and the public NATS API's handlers). */
export const gatewayControllers = [
  ChatController,
  CompletionsController,
  EmbeddingsController,
  MessagesController,
  ResponsesController,
  ModelsController,
  UtilsController,
  HealthController,
  DeploymentHealthController,
  SpendController,
  ManagementController,
  NatsApiController,
  ConfigSettingsController,
  OpenApiController,
  CacheController,
  ...uiControllers,
];
