import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { subjectNamespace } from '@switchboard/contracts';
import { createIdentityDataSource } from '@switchboard/data-access-identity';
import { NatsBusTransport, connectNats } from '@switchboard/messaging';
import { createLogger, shutdownOnSignals } from '@switchboard/observability';
import { AuthModule } from './auth.module';
import { createAuthServices } from './auth-services';
import { parseAuthSettings } from './auth-settings.schema';

/** The auth service: owns the identity tables, verifies keys and runs the management API over NATS. */
async function main(): Promise<void> {
  const settings = parseAuthSettings(process.env);
  const logger = createLogger({ service: 'auth', level: settings.LOG_LEVEL });
  // The identity tables through TypeORM (libs/data-access/identity): typed repositories, migrations only from apps/migrate.
  const dataSource = await createIdentityDataSource({ url: settings.DATABASE_URL, poolSize: 8 }).initialize();
  const connection = await connectNats({ url: settings.NATS_URL, name: 'switchboard-auth' });
  const namespace = subjectNamespace(settings.SWITCHBOARD_SUBJECT_PREFIX);
  const services = createAuthServices(dataSource, connection, namespace, {
    saltKey: settings.SALT_KEY ?? settings.LITELLM_SALT_KEY,
    defaultGracePeriod: settings.KEY_ROTATION_GRACE_PERIOD ?? settings.LITELLM_KEY_ROTATION_GRACE_PERIOD,
    onUnexpected: (error, operation) => logger.error({ operation, error: error instanceof Error ? error.message : String(error) }, 'management command failed'),
    spendTotalsTimeoutMs: settings.SPEND_TOTALS_TIMEOUT_MS,
    onSpendUnavailable: (error) => logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'the budget service did not say what was spent; views show spend 0'),
  });
  const transport = new NatsBusTransport({ connection, namespace, logger });
  const app = await NestFactory.createMicroservice(AuthModule.create({ settings, connection, services }), { strategy: transport, logger: ['error', 'warn'] });
  await app.listen();
  logger.info('auth service answering key verification and management commands');
  shutdownOnSignals(app, logger, async () => {
    await transport.drain(10_000);
    services.bus.close();
    await connection.drain().catch(() => undefined);
    await dataSource.destroy().catch(() => undefined);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`switchboard auth failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
