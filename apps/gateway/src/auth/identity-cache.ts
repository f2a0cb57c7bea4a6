import type { IdentityChangedEvent } from '@switchboard/contracts';
import type { VerifiedKey } from './key-verifier';

export type CachedVerification = { verified: VerifiedKey } | { refusal: string };

/** A verified key's own end: past `at` (its expiry, or a regenerated key's grace end) it is refused with `refusal`. */
export interface RefusalDeadline {
  at: number;
  refusal: string;
}

interface Entry {
  result: CachedVerification;
  expiresAt: number;
  deadline?: RefusalDeadline;
}

/** Bound on cached keys; the oldest go first when it is reached. */
const maxEntries = 100_000;

/**
 * Verified keys by hash, in memory: the hot path never waits on the auth service for a key it has
 * seen within the TTL. `invalidate` applies a `changed` broadcast.
 */
export class IdentityCache {
  private readonly entries = new Map<string, Entry>();

  get(keyHash: string, now = Date.now()): CachedVerification | undefined {
    const entry = this.entries.get(keyHash);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(keyHash);
      return undefined;
    }
    if (entry.deadline && entry.deadline.at <= now) {
      // Revocation is exact: refused from this instant on, on every instance, without asking anyone.
      entry.result = { refusal: entry.deadline.refusal };
      entry.deadline = undefined;
    }
    return entry.result;
  }

  set(keyHash: string, result: CachedVerification, ttlMs: number, deadline?: RefusalDeadline): void {
    if (ttlMs <= 0) return;
    if (deadline && deadline.at <= Date.now()) {
      this.set(keyHash, { refusal: deadline.refusal }, ttlMs);
      return;
    }
    if (this.entries.size >= maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(keyHash, { result, expiresAt: Date.now() + ttlMs, deadline });
  }

  invalidate(event: IdentityChangedEvent): void {
    if (event.models) {
      // Allowed-model sets depend on the routable models: recompute them all.
      this.entries.clear();
      return;
    }
    const keys = new Set(event.keyHashes ?? []);
    for (const keyHash of keys) this.entries.delete(keyHash);
    const teams = new Set(event.teamIds ?? []);
    const users = new Set(event.userIds ?? []);
    const organizations = new Set(event.organizationIds ?? []);
    if (keys.size === 0 && teams.size === 0 && users.size === 0 && organizations.size === 0) return;
    for (const [keyHash, entry] of this.entries) {
      if (!('verified' in entry.result)) continue;
      const identity = entry.result.verified.identity;
      if (!identity) continue;
      // Also entries cached under an old key value that now resolves to a changed key.
      if (keys.has(identity.keyHash) || (identity.teamId && teams.has(identity.teamId)) || (identity.userId && users.has(identity.userId)) || (identity.organizationId && organizations.has(identity.organizationId))) {
        this.entries.delete(keyHash);
      }
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
