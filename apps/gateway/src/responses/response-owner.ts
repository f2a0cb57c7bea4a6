import type { Caller } from '@switchboard/contracts';

/** Who owns a stored response: the key that created it (by hash), else its alias. Another key gets 404. */
export function responseOwner(caller: Caller): string {
  if (caller.keyHash) return `key:${caller.keyHash}`;
  return `alias:${caller.keyAlias ?? 'anonymous'}`;
}
