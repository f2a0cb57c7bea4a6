export { TableRepository } from './table-repository';
export type { ColumnKind, Filter, Page, Row, TableDefinition } from './table-repository';
export { identityTables } from './identity-tables';
export type { IdentityTableName } from './identity-tables';
export { CreateIdentity1764000200000 } from './migrations/1764000200000-create-identity';

import { CreateIdentity1764000200000 } from './migrations/1764000200000-create-identity';

/** Every migration of the identity context, in order. */
export const identityMigrations = [CreateIdentity1764000200000];
