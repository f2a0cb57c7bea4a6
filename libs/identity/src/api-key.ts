import { createHash, randomBytes } from 'node:crypto';

/** Random bytes in a generated key: 32, URL-safe base64 (43 characters), as the issue and LiteLLM ask. */
const keyBytes = 32;

/** A new virtual key: `sk-` and 32 random bytes, URL-safe. Returned once; only its hash is stored. */
export function generateApiKey(): string {
  return `sk-${randomBytes(keyBytes).toString('base64url')}`;
}

/**
 * The stored form of a key: SHA-256 hex, as LiteLLM's `hash_token` does, so keys hashed by LiteLLM
 * (and their `token` ids in scripts) carry over unchanged. Keys have 256 bits of entropy, so a
 * salt adds nothing against guessing; it would only break compatibility.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** A key's display name: `sk-...` and its last four characters. */
export function keyDisplayName(key: string): string {
  return `sk-...${key.slice(-4)}`;
}

/** Whether a string is already a key hash (64 hex characters) rather than a plaintext key. */
export function isKeyHash(value: string): boolean {
  return /^[0-9a-f]{64}$/.test(value);
}
