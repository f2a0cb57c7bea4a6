import { DataSource } from 'typeorm';
import { identityEntities } from './entities/identity.entities';

export interface DataSourceOptions {
  url: string;
  poolSize: number;
  /** Bound of waiting for a connection (Postgres down answers within it). */
  connectionTimeoutMs?: number;
}

/** The auth service's connection to the identity tables: TypeORM over a pg pool, opened with `initialize()`. */
export function createIdentityDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: identityEntities,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: { max: options.poolSize, connectionTimeoutMillis: options.connectionTimeoutMs ?? 2_000 },
  });
}
