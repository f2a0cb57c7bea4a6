import type { Provider } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { GatewaySettings } from '../gateway-settings.schema';
import { GATEWAY_SETTINGS, REDIS } from './tokens';

/**
 * One Redis client for the gateway. Every command is bounded (`commandTimeout`) and nothing is
 * queued while disconnected, so a Redis outage never hangs a request: callers get an error fast
 * and apply their documented fallback.
 */
export const redisProvider: Provider = {
  provide: REDIS,
  inject: [GATEWAY_SETTINGS],
  useFactory: (settings: GatewaySettings) => {
    const redis = new Redis(settings.REDIS_URL, {
      commandTimeout: settings.REDIS_COMMAND_TIMEOUT_MS,
      connectTimeout: 1_000,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      lazyConnect: false,
    });
    redis.on('error', () => undefined);
    return redis;
  },
};
