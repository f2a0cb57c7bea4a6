import type { KeyIdentity } from '@switchboard/contracts';
import { SwitchboardError, quoteInput } from '@switchboard/spec';

const managementPrefixes = ['/key/', '/user/', '/team/', '/organization/', '/customer/', '/end_user/', '/model/', '/spend/', '/global/'];
const llmPrefixes = ['/v1/chat/', '/chat/', '/v1/embeddings', '/embeddings', '/v1/messages', '/v1/responses', '/responses', '/v1/models', '/models', '/v1/completions', '/completions', '/openai/deployments/', '/engines/', '/utils/token_counter'];

export type RouteGroup = 'llm_api_routes' | 'management_routes' | 'info_routes';

/** LiteLLM's route groups, as `allowed_routes` and `key_type` name them. */
export function routeGroupsOf(method: string, path: string): Set<RouteGroup> {
  const groups = new Set<RouteGroup>();
  if (llmPrefixes.some((prefix) => path.startsWith(prefix))) groups.add('llm_api_routes');
  if (managementPrefixes.some((prefix) => path.startsWith(prefix))) groups.add('management_routes');
  if (method === 'GET' && (path.endsWith('/info') || path.endsWith('/list') || path.includes('/models') || path.startsWith('/spend/') || path.startsWith('/v1/model/'))) groups.add('info_routes');
  return groups;
}

function matches(pattern: string, path: string, groups: ReadonlySet<RouteGroup>): boolean {
  if (groups.has(pattern as RouteGroup)) return true;
  const normalized = pattern.startsWith('/') ? pattern : `/${pattern}`;
  if (normalized.endsWith('*')) return path.startsWith(normalized.slice(0, -1));
  return path === normalized;
}

/** Refuses a route the key's `key_type` or `allowed_routes` does not cover (401, as LiteLLM answers). */
export function authorizeRoute(identity: KeyIdentity | undefined, method: string, url: string): void {
  if (!identity) return;
  const path = url.split('?')[0];
  const groups = routeGroupsOf(method, path);
  const allowedByType: Record<string, RouteGroup[] | undefined> = {
    llm_api: ['llm_api_routes'],
    management: ['management_routes', 'info_routes'],
    read_only: ['info_routes'],
  };
  const typeGroups = identity.keyType ? allowedByType[identity.keyType] : undefined;
  const allowedRoutes = identity.allowedRoutes.length ? identity.allowedRoutes : typeGroups;
  if (!allowedRoutes) return;
  if (allowedRoutes.some((pattern) => matches(pattern, path, groups))) return;
  throw new SwitchboardError('authentication', `Authentication Error, this key is not allowed to call ${quoteInput(path)}. Allowed routes: ${allowedRoutes.join(', ')}`, { param: null });
}
