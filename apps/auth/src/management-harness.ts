import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import type { ManagementActor, SubjectNamespace } from '@switchboard/contracts';
import { createIdentityDataSource } from '@switchboard/data-access-identity';
import { hashApiKey } from '@switchboard/identity';
import { createAuthServices } from './auth-services';

/** The part of a test file's isolation (libs/testing) the harness uses: its migrated database and its subject prefix. */
export interface HarnessIsolation {
  databaseUrl: string;
  urls: { natsUrl: string };
  namespace: SubjectNamespace;
}

export type Json = Record<string, unknown>;
export interface Outcome {
  status: number;
  body: Json;
}

export const master: ManagementActor = { kind: 'master' };
export const asKey = (key: string): ManagementActor => ({ kind: 'key', keyHash: hashApiKey(key) });

const identityTables = ['identity_organizations', 'identity_teams', 'identity_users', 'identity_keys', 'identity_customers', 'identity_models', 'identity_deleted_keys', 'identity_deprecated_keys'];

/**
 * The auth service's management API over a real Postgres database and NATS connection of its own
 * (integration tests only): run a command as an actor, read every identity row back.
 */
export class ManagementHarness {
  private constructor(
    readonly pool: pg.Pool,
    private readonly dataSource: DataSource,
    private readonly connection: NatsConnection,
    readonly services: ReturnType<typeof createAuthServices>,
  ) {}

  static async start(isolation: HarnessIsolation): Promise<ManagementHarness> {
    const pool = new pg.Pool({ connectionString: isolation.databaseUrl, max: 2 });
    const dataSource = await createIdentityDataSource({ url: isolation.databaseUrl, poolSize: 4 }).initialize();
    const connection = await connect({ servers: isolation.urls.natsUrl });
    const services = createAuthServices(dataSource, connection, isolation.namespace, {
      saltKey: 'int-salt',
      onUnexpected: (error) => {
        throw error;
      },
    });
    return new ManagementHarness(pool, dataSource, connection, services);
  }

  async run(actor: ManagementActor, operation: string, body: Json = {}, query: Record<string, string> = {}): Promise<Outcome> {
    const outcome = await this.services.management.handle({ operation, actor, body, query });
    if ('error' in outcome) return { status: outcome.error.status, body: { error: outcome.error } };
    return { status: outcome.status, body: outcome.body as Json };
  }

  /** Runs a command that must succeed; a refusal throws with its answer. */
  async ok(actor: ManagementActor, operation: string, body: Json = {}, query: Record<string, string> = {}): Promise<Json> {
    const result = await this.run(actor, operation, body, query);
    if (result.status !== 200) throw new Error(`${operation} ${JSON.stringify(body)} answered ${result.status}: ${JSON.stringify(result.body)}`);
    return result.body;
  }

  /** Every identity row, as JSON text per table: equal snapshots mean nothing changed. */
  async snapshot(): Promise<Record<string, string[]>> {
    const rows: Record<string, string[]> = {};
    for (const table of identityTables) {
      rows[table] = (await this.pool.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM ${table} t ORDER BY 1`)).rows.map((row) => row.row);
    }
    return rows;
  }

  async stop(): Promise<void> {
    await this.connection.close();
    await this.dataSource.destroy();
    await this.pool.end();
  }
}
