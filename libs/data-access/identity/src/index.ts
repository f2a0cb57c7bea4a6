export { IdentityRepository } from './identity.repository';
export type { Filter, Page, Values } from './identity.repository';
export { identityTables } from './identity-tables';
export type { IdentityTableName, IdentityTables } from './identity-tables';
export {
  CustomerEntity,
  DeletedKeyEntity,
  DeprecatedKeyEntity,
  KeyEntity,
  OrganizationEntity,
  StoredModelEntity,
  TeamEntity,
  UserEntity,
  identityEntities,
} from './entities/identity.entities';
export type { JsonObject, OrganizationMemberRecord, TeamMemberRecord } from './entities/identity.entities';
export { createIdentityDataSource } from './identity-data-source';
export type { DataSourceOptions } from './identity-data-source';
export { CreateIdentity1764000200000 } from './migrations/1764000200000-create-identity';
export { AddKeyId1764000610000 } from './migrations/1764000610000-add-key-id';

import { CreateIdentity1764000200000 } from './migrations/1764000200000-create-identity';
import { AddKeyId1764000610000 } from './migrations/1764000610000-add-key-id';

/** Every migration of the identity context, in order. */
export const identityMigrations = [CreateIdentity1764000200000, AddKeyId1764000610000];
