import type { EntityManager } from 'typeorm';
import { CustomerEntity, DeletedKeyEntity, DeprecatedKeyEntity, KeyEntity, OrganizationEntity, StoredModelEntity, TeamEntity, UserEntity } from './entities/identity.entities';
import { IdentityRepository } from './identity.repository';

/** The identity tables, by the name the auth service uses, each a typed repository. */
export interface IdentityTables {
  organizations: IdentityRepository<OrganizationEntity>;
  teams: IdentityRepository<TeamEntity>;
  users: IdentityRepository<UserEntity>;
  customers: IdentityRepository<CustomerEntity>;
  keys: IdentityRepository<KeyEntity>;
  deletedKeys: IdentityRepository<DeletedKeyEntity>;
  deprecatedKeys: IdentityRepository<DeprecatedKeyEntity>;
  models: IdentityRepository<StoredModelEntity>;
}

export type IdentityTableName = keyof IdentityTables;

/** The tables over one connection (the data source's manager, or a transaction's). */
export function identityTables(manager: EntityManager): IdentityTables {
  return {
    organizations: new IdentityRepository(manager, OrganizationEntity),
    teams: new IdentityRepository(manager, TeamEntity),
    users: new IdentityRepository(manager, UserEntity),
    customers: new IdentityRepository(manager, CustomerEntity),
    keys: new IdentityRepository(manager, KeyEntity),
    deletedKeys: new IdentityRepository(manager, DeletedKeyEntity),
    deprecatedKeys: new IdentityRepository(manager, DeprecatedKeyEntity),
    models: new IdentityRepository(manager, StoredModelEntity),
  };
}
