import { hashApiKey, isKeyHash } from '@switchboard/identity';
import { SwitchboardError } from '@switchboard/spec';
import { forbidden } from '../management-error';
import type { Principal } from './principal';
import { isProxyAdmin, isViewer, readsEverything } from './principal';

/**
 * Who may call a route at all. `members`: anyone with a user (what they may touch is decided by the
 * key and membership policies); `admin_readers`: proxy admins and proxy admin viewers;
 * `proxy_admins`: proxy admins (and the master key) only.
 */
export type RouteAudience = 'members' | 'admin_readers' | 'proxy_admins';

export interface RouteRule {
  /** Whether the route changes anything: viewers never call such a route. */
  changes: boolean;
  audience: RouteAudience;
}

const read = (audience: RouteAudience = 'members'): RouteRule => ({ changes: false, audience });
const write = (audience: RouteAudience = 'members'): RouteRule => ({ changes: true, audience });

/** Every management route (LiteLLM's name, `end_user/*` folded into `customer/*`). docs/security.md explains each. */
export const routeRules: Readonly<Record<string, RouteRule>> = {
  'key/generate': write(),
  'key/update': write(),
  'key/delete': write(),
  'key/info': read(),
  'key/list': read(),
  'key/regenerate': write(),
  'key/block': write(),
  'key/unblock': write(),
  'user/new': write(),
  'user/info': read(),
  'user/update': write(),
  'user/delete': write(),
  'user/list': read(),
  'team/new': write(),
  'team/update': write(),
  'team/delete': write(),
  'team/info': read(),
  'team/list': read(),
  'team/member_add': write(),
  'team/member_delete': write(),
  'team/block': write(),
  'team/unblock': write(),
  'organization/new': write('proxy_admins'),
  'organization/update': write(),
  'organization/delete': write('proxy_admins'),
  'organization/info': read(),
  'organization/list': read(),
  'organization/member_add': write(),
  'customer/new': write('proxy_admins'),
  'customer/info': read('admin_readers'),
  'customer/update': write('proxy_admins'),
  'customer/delete': write('proxy_admins'),
  'customer/list': read('admin_readers'),
  'customer/block': write('proxy_admins'),
  'customer/unblock': write('proxy_admins'),
  'model/new': write('proxy_admins'),
  'model/update': write('proxy_admins'),
  'model/delete': write('proxy_admins'),
};

/**
 * The first gate of every management command, before any object is read. A key with no user gets
 * LiteLLM's 401 on everything but its own `/key/info`; viewers get 403 on every change; routes
 * for proxy admins answer 403 to everyone else.
 */
export function admitRoute(principal: Principal, operation: string, query: Record<string, string>): void {
  const rule = routeRules[operation];
  if (!rule) throw new SwitchboardError('not_found', `Unknown management route /${operation}`, { param: null });
  if (principal.isMaster) return;
  if (!principal.hasUser) {
    if (operation === 'key/info' && namesOwnKey(principal, query)) return;
    throw noUserRefusal(operation);
  }
  if (rule.changes && isViewer(principal)) throw forbidden(`Viewers cannot change anything: /${operation} is refused for role ${principal.role}`);
  if (rule.audience === 'proxy_admins' && !isProxyAdmin(principal)) throw forbidden(`Only a proxy admin can call /${operation}`);
  if (rule.audience === 'admin_readers' && !readsEverything(principal)) throw forbidden(`Only a proxy admin or proxy admin viewer can call /${operation}`);
}

/** LiteLLM's wording (`route_checks.py`), as its `auth_error` with status 401. */
export function noUserRefusal(operation: string): SwitchboardError {
  return new SwitchboardError(
    'authentication',
    `Authentication Error, Only proxy admin can be used to generate, delete, update info for new keys/users/teams. Route=/${operation}. Your role=unknown. Your user_id=unknown`,
    { param: null },
  );
}

function namesOwnKey(principal: Principal, query: Record<string, string>): boolean {
  const identifier = query.key ?? query.key_hash;
  if (identifier === undefined || identifier === '') return true;
  return (isKeyHash(identifier) ? identifier : hashApiKey(identifier)) === principal.keyHash;
}
