import { DataSource } from 'typeorm';
import { SpendDailyEntity } from './entities/spend-daily.entity';
import { SpendLedgerEntryEntity } from './entities/spend-ledger-entry.entity';
import { SpendTotalEntity } from './entities/spend-total.entity';

/** The entities of the spend context (tables created by its migrations; never `synchronize`). */
export const spendEntities = [SpendLedgerEntryEntity, SpendTotalEntity, SpendDailyEntity];

export interface DataSourceOptions {
  url: string;
  /** Connections in the pool. */
  poolSize: number;
  /** Bound of waiting for a connection (Postgres down answers within it). */
  connectionTimeoutMs?: number;
}

/**
 * The budget service's connection to the spend tables: TypeORM over a pg pool. Open it with
 * `initialize()`; the schema comes only from migrations (`apps/migrate`).
 */
export function createSpendDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: spendEntities,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: { max: options.poolSize, connectionTimeoutMillis: options.connectionTimeoutMs ?? 2_000 },
  });
}
