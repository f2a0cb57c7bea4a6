import type { Provider } from '@nestjs/common';
import pg from 'pg';
import type { GatewaySettings } from '../gateway-settings.schema';
import { GATEWAY_SETTINGS, PG_POOL } from './tokens';

/** The gateway's Postgres pool: readiness, stored responses, spend reads. Never on the chat hot path. */
export const postgresProvider: Provider = {
  provide: PG_POOL,
  inject: [GATEWAY_SETTINGS],
  useFactory: (settings: GatewaySettings) => {
    const pool = new pg.Pool({ connectionString: settings.DATABASE_URL, max: 10, connectionTimeoutMillis: 2_000 });
    pool.on('error', () => undefined);
    return pool;
  },
};

