import type { NatsConnection } from '@nats-io/transport-node';
import type { DataSource } from 'typeorm';
import type { SubjectNamespace } from '@switchboard/contracts';
import { SecretBox } from '@switchboard/identity';
import { NatsBusClient } from '@switchboard/messaging';
import { KeyPolicy } from './authorization/key-policy';
import { MembershipPolicy } from './authorization/membership-policy';
import { PrincipalResolver } from './authorization/principal-resolver';
import { ChangePublisher } from './change-publisher';
import { CustomerManagementService } from './customer-management.service';
import { IdentityStore } from './identity-store';
import { KeyManagementService } from './key-management.service';
import { KeyVerificationService } from './key-verification.service';
import { ManagementService } from './management.service';
import { MemberRegistry } from './member-registry';
import { ModelManagementService } from './model-management.service';
import { OrganizationManagementService } from './organization-management.service';
import { SpendTotalsClient } from './spend-totals.client';
import { TeamManagementService } from './team-management.service';
import { UserManagementService } from './user-management.service';

export interface AuthServiceOptions {
  saltKey?: string;
  defaultGracePeriod?: string;
  onUnexpected: (error: unknown, operation: string) => void;
  /** Bound of asking the budget service for spend totals (management views, `x-litellm-key-spend`). */
  spendTotalsTimeoutMs?: number;
  /** The budget service could not say what an entity spent (reported at most once a minute). */
  onSpendUnavailable?: (error: unknown) => void;
}

/** The auth service's parts, wired once (by `main.ts`, and by the tests over real Postgres and NATS). */
export function createAuthServices(dataSource: DataSource, connection: NatsConnection, namespace: SubjectNamespace, options: AuthServiceOptions) {
  const bus = new NatsBusClient({ connection, namespace, defaultTimeoutMs: options.spendTotalsTimeoutMs ?? 1_000 });
  const store = new IdentityStore(dataSource, new SpendTotalsClient(bus, options.spendTotalsTimeoutMs ?? 1_000, options.onSpendUnavailable));
  const changes = new ChangePublisher(connection, namespace);
  const members = new MemberRegistry(store);
  const principals = new PrincipalResolver(store);
  const membership = new MembershipPolicy(store, principals);
  const keys = new KeyManagementService(store, changes, new KeyPolicy(store, principals), options.defaultGracePeriod);
  const models = new ModelManagementService(store, changes, options.saltKey ? new SecretBox(options.saltKey) : undefined);
  const management = new ManagementService(
    principals,
    {
      keys,
      users: new UserManagementService(store, changes, keys, membership),
      teams: new TeamManagementService(store, changes, members, membership),
      organizations: new OrganizationManagementService(store, changes, members, membership),
      customers: new CustomerManagementService(store, changes),
      models,
    },
    options.onUnexpected,
  );
  return { store, management, models, verification: new KeyVerificationService(store), bus };
}
