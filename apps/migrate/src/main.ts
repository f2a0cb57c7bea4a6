import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { responsesMigrations } from '@switchboard/data-access-responses';
import { spendMigrations } from '@switchboard/data-access-spend';
import { identityMigrations } from '@switchboard/data-access-identity';

/**
 * `node dist/apps/migrate/main.js`: applies every pending migration of every bounded context to
 * DATABASE_URL, then exits 0. Idempotent; run by `npm start`, the compose `migrate` service and the
 * Helm pre-install / pre-upgrade Job. Never `synchronize`.
 */
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/switchboard';
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    migrations: [...responsesMigrations, ...spendMigrations, ...identityMigrations],
    migrationsTableName: 'switchboard_migrations',
    synchronize: false,
    logging: false,
  });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    process.stdout.write(`migrations: ${applied.length} applied${applied.length ? ` (${applied.map((migration) => migration.name).join(', ')})` : ''}\n`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`switchboard migrate failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
