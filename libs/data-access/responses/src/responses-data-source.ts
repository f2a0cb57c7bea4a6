import { DataSource } from 'typeorm';
import { StoredResponseEntity } from './stored-response.entity';

/** The entities of the responses context (tables created by its migrations; never `synchronize`). */
export const responsesEntities = [StoredResponseEntity];

export interface DataSourceOptions {
  url: string;
  poolSize: number;
  /** Bound of waiting for a connection (Postgres down answers within it). */
  connectionTimeoutMs?: number;
}

/** The gateway's connection to the responses table: TypeORM over a pg pool, opened with `initialize()`. */
export function createResponsesDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: responsesEntities,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: { max: options.poolSize, connectionTimeoutMillis: options.connectionTimeoutMs ?? 2_000 },
  });
}
