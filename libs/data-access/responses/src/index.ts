export { ResponseRepository } from './response.repository';
export type { StoredResponse } from './stored-response';
export { StoredResponseEntity } from './stored-response.entity';
export { createResponsesDataSource, responsesEntities } from './responses-data-source';
export type { DataSourceOptions } from './responses-data-source';
export { CreateResponses1764000000000 } from './migrations/1764000000000-create-responses';

import { CreateResponses1764000000000 } from './migrations/1764000000000-create-responses';

/** Every migration of the responses context, in order. */
export const responsesMigrations = [CreateResponses1764000000000];
