export { TableRepository } from './table-repository';
export type { ColumnKind, Filter, Page, Row, TableDefinition } from './table-repository';
export { identityTables } from './identity-tables';
export type { IdentityTableName } from './identity-tables';
export { CreateIdentity1764000200000 } from './migrations/1764000200000-create-identity';
export { AddKeyId1764000610000 } from './migrations/1764000610000-add-key-id';

import { CreateIdentity1764000200000 } from './migrations/1764000200000-create-identity';
import { AddKeyId1764000610000 } from './migrations/1764000610000-add-key-id';

/** Every migration of the identity context, in order. */
export const identityMigrations = [CreateIdentity1764000200000, AddKeyId1764000610000];
