import { createServer } from 'node:http';
import pg from 'pg';
import { subjectNamespace } from '@switchboard/contracts';
import { SecretBox } from '@switchboard/identity';
import { connectNats } from '@switchboard/messaging';
import { createLogger } from '@switchboard/observability';
import { AuthHandler } from './auth.handler';
import { parseAuthSettings } from './auth-settings.schema';
import { ChangePublisher } from './change-publisher';
import { CustomerManagementService } from './customer-management.service';
import { IdentityStore } from './identity-store';
import { KeyManagementService } from './key-management.service';
import { KeyVerificationService } from './key-verification.service';
import { ManagementService } from './management.service';
import { MemberRegistry } from './member-registry';
import { ModelManagementService } from './model-management.service';
import { OrganizationManagementService } from './organization-management.service';
import { PrincipalResolver } from './principal-resolver';
import { TeamManagementService } from './team-management.service';
import { UserManagementService } from './user-management.service';

/** The auth service: owns the identity tables, verifies keys and runs the management API over NATS. */
async function main(): Promise<void> {
  const settings = parseAuthSettings(process.env);
  const logger = createLogger({ service: 'auth', level: settings.LOG_LEVEL });
  const pool = new pg.Pool({ connectionString: settings.DATABASE_URL, max: 8, connectionTimeoutMillis: 2_000 });
  pool.on('error', () => undefined);
  const connection = await connectNats({ url: settings.NATS_URL, name: 'switchboard-auth' });
  const namespace = subjectNamespace(settings.SWITCHBOARD_SUBJECT_PREFIX);
  const store = new IdentityStore(pool);
  const changes = new ChangePublisher(connection, namespace);
  const saltKey = settings.SALT_KEY ?? settings.LITELLM_SALT_KEY;
  const members = new MemberRegistry(store);
  const keys = new KeyManagementService(store, changes, settings.KEY_ROTATION_GRACE_PERIOD ?? settings.LITELLM_KEY_ROTATION_GRACE_PERIOD);
  const models = new ModelManagementService(store, changes, saltKey ? new SecretBox(saltKey) : undefined);
  const management = new ManagementService(
    new PrincipalResolver(store),
    {
      keys,
      users: new UserManagementService(store, changes, keys),
      teams: new TeamManagementService(store, changes, members),
      organizations: new OrganizationManagementService(store, changes, members),
      customers: new CustomerManagementService(store, changes),
      models,
    },
    (error, operation) => logger.error({ operation, error: error instanceof Error ? error.message : String(error) }, 'management command failed'),
  );
  const handler = new AuthHandler(connection, namespace, new KeyVerificationService(store), management, models);
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
