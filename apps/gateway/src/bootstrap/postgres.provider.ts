import type { Provider } from '@nestjs/common';
import { ResponseRepository, createResponsesDataSource } from '@switchboard/data-access-responses';
import type { GatewaySettings } from '../gateway-settings.schema';
import { GATEWAY_SETTINGS } from './tokens';

/**
 * The gateway's one Postgres connection: the Responses sessions it owns (`responses`, through the
 * responses repository), and its readiness probe. Never on the chat path; spend and identity are
 * other services' tables, asked over NATS.
 */
export const responsesRepositoryProvider: Provider = {
  provide: ResponseRepository,
  inject: [GATEWAY_SETTINGS],
  useFactory: async (settings: GatewaySettings) => new ResponseRepository(await createResponsesDataSource({ url: settings.DATABASE_URL, poolSize: 10 }).initialize()),
};
