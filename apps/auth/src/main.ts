import { createServer } from 'node:http';
import pg from 'pg';
import { subjectNamespace } from '@switchboard/contracts';
import { connectNats } from '@switchboard/messaging';
import { createLogger } from '@switchboard/observability';
import { AuthHandler } from './auth.handler';
import { createAuthServices } from './auth-services';
import { parseAuthSettings } from './auth-settings.schema';

/** The auth service: owns the identity tables, verifies keys and runs the management API over NATS. */
async function main(): Promise<void> {
  const settings = parseAuthSettings(process.env);
  const logger = createLogger({ service: 'auth', level: settings.LOG_LEVEL });
  const pool = new pg.Pool({ connectionString: settings.DATABASE_URL, max: 8, connectionTimeoutMillis: 2_000 });
  pool.on('error', () => undefined);
  const connection = await connectNats({ url: settings.NATS_URL, name: 'switchboard-auth' });
  const namespace = subjectNamespace(settings.SWITCHBOARD_SUBJECT_PREFIX);
  const { management, models, verification } = createAuthServices(pool, connection, namespace, {
    saltKey: settings.SALT_KEY ?? settings.LITELLM_SALT_KEY,
    defaultGracePeriod: settings.KEY_ROTATION_GRACE_PERIOD ?? settings.LITELLM_KEY_ROTATION_GRACE_PERIOD,
    onUnexpected: (error, operation) => logger.error({ operation, error: error instanceof Error ? error.message : String(error) }, 'management command failed'),
  });
  const handler = new AuthHandler(connection, namespace, verification, management, models);
  handler.start();

  let draining = false;
  const health = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    const ready = path === '/health/liveliness' || (!draining && !connection.isClosed());
    response.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: ready ? 'connected' : 'unavailable' }));
  }).listen(settings.AUTH_HEALTH_PORT, settings.AUTH_HEALTH_HOST);
  logger.info('auth service answering key verification and management commands');

  const shutdown = async () => {
    if (draining) return;
    draining = true;
    await handler.drain().catch(() => undefined);
    await connection.drain().catch(() => undefined);
    await pool.end().catch(() => undefined);
    health.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

main().catch((error: unknown) => {
  process.stderr.write(`switchboard auth failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
