import { SwitchboardError } from '@switchboard/spec';
import type { VerifiedKey } from './key-verifier';

/**
 * Refuses a route that only proxy admins (the master key, or a key of a `proxy_admin` user) may
 * call, with LiteLLM's 401 wording so scripts that match on it keep working.
 */
export function assertProxyAdmin(verified: VerifiedKey | undefined, route: string): void {
  if (verified?.isMasterKey) return;
  const role = verified?.identity?.userRole ?? 'unknown';
  throw new SwitchboardError('authentication', `Authentication Error, Only proxy admin can be used to generate, delete, update info for new keys/users/teams. Route=${route}. Your role=${role}`, { param: null });
}
