import type { ManagementRequest } from '@switchboard/contracts';
import { SwitchboardError } from '@switchboard/spec';
import type { CustomerManagementService } from './customer-management.service';
import type { CommandScope, KeyManagementService } from './key-management.service';
import type { ModelManagementService } from './model-management.service';
import type { OrganizationManagementService } from './organization-management.service';
import type { TeamManagementService } from './team-management.service';
import type { UserManagementService } from './user-management.service';

export interface ManagementServices {
  keys: KeyManagementService;
  users: UserManagementService;
  teams: TeamManagementService;
  organizations: OrganizationManagementService;
  customers: CustomerManagementService;
  models: ModelManagementService;
}

type Handler = (scope: CommandScope, request: ManagementRequest, pathId: string | undefined) => Promise<unknown>;

/** Every management operation, by LiteLLM's route (without the leading slash). */
export function managementOperations(services: ManagementServices): ReadonlyMap<string, Handler> {
  const { keys, users, teams, organizations, customers, models } = services;
  const table: Record<string, Handler> = {
    'key/generate': (scope, request) => keys.generate(scope, request.body),
    'key/update': (scope, request) => keys.update(scope, request.body),
    'key/delete': (scope, request) => keys.delete(scope, request.body),
    'key/info': (scope, request) => keys.info(scope, request.query),
    'key/list': (scope, request) => keys.list(scope, request.query),
    'key/regenerate': (scope, request, pathId) => keys.regenerate(scope, request.body, pathId),
    'key/block': (scope, request) => keys.setBlocked(scope, request.body, true),
    'key/unblock': (scope, request) => keys.setBlocked(scope, request.body, false),
    'user/new': (scope, request) => users.create(scope, request.body),
    'user/info': (scope, request) => users.info(scope, request.query),
    'user/update': (scope, request) => users.update(scope, request.body),
    'user/delete': (scope, request) => users.delete(scope, request.body),
    'user/list': (scope, request) => users.list(scope, request.query),
    'team/new': (scope, request) => teams.create(scope, request.body),
    'team/update': (scope, request) => teams.update(scope, request.body),
    'team/delete': (scope, request) => teams.delete(scope, request.body),
    'team/info': (scope, request) => teams.info(scope, request.query),
    'team/list': (scope, request) => teams.list(scope, request.query),
    'team/member_add': (scope, request) => teams.addMembers(scope, request.body),
    'team/member_delete': (scope, request) => teams.deleteMember(scope, request.body),
    'team/block': (scope, request) => teams.setBlocked(scope, request.body, true),
    'team/unblock': (scope, request) => teams.setBlocked(scope, request.body, false),
    'organization/new': (scope, request) => organizations.create(scope, request.body),
    'organization/update': (scope, request) => organizations.update(scope, request.body),
    'organization/delete': (scope, request) => organizations.delete(scope, request.body),
    'organization/info': (scope, request) => organizations.info(scope, { ...request.query, ...stringFields(request.body) }),
    'organization/list': (scope) => organizations.list(scope),
    'organization/member_add': (scope, request) => organizations.addMembers(scope, request.body),
    'customer/new': (scope, request) => customers.create(scope, request.body),
    'customer/info': (scope, request) => customers.info(scope, request.query),
    'customer/update': (scope, request) => customers.update(scope, request.body),
    'customer/delete': (scope, request) => customers.delete(scope, request.body),
    'customer/list': (scope, request) => customers.list(scope, request.query),
    'customer/block': (scope, request) => customers.setBlocked(scope, request.body, true),
    'customer/unblock': (scope, request) => customers.setBlocked(scope, request.body, false),
    'model/new': (scope, request) => models.create(scope, request.body),
    'model/update': (scope, request, pathId) => models.update(scope, request.body, pathId),
    'model/delete': (scope, request) => models.delete(scope, request.body),
  };
  return new Map(Object.entries(table));
}

/** Splits `key/<id>/regenerate` and `model/<id>/update` into their operation and path id. */
export function operationOf(route: string): { operation: string; pathId?: string } {
  const parts = route.split('/');
  if (parts.length === 3 && parts[0] === 'key' && parts[2] === 'regenerate') return { operation: 'key/regenerate', pathId: decodeURIComponent(parts[1]) };
  if (parts.length === 3 && parts[0] === 'model' && parts[2] === 'update') return { operation: 'model/update', pathId: decodeURIComponent(parts[1]) };
  if (parts[0] === 'end_user') return { operation: `customer/${parts.slice(1).join('/')}` };
  return { operation: route };
}

export function unknownOperation(operation: string): SwitchboardError {
  return new SwitchboardError('not_found', `Unknown management route /${operation}`, { param: null });
}

function stringFields(body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
