import type { Caller, KeyIdentity } from '@switchboard/contracts';
import type { ModelAllowList } from '@switchboard/identity';

/** Who a verified key belongs to, and what it may do. Virtual keys extend this in the identity service. */
export interface VerifiedKey {
  caller: Caller;
  isMasterKey: boolean;
  /** Model groups the key may call (names and wildcard prefixes); `undefined` means every model. */
  allowedModels?: ModelAllowList;
  /** A virtual key's identity as the auth service verified it (absent for the master key). */
  identity?: KeyIdentity;
}

/**
 * Verifies the key a request presents. The master-key verifier is the first implementation;
 * the virtual-key verifier (cache filled from the auth service over NATS) slots in behind the same token.
 */
export interface KeyVerifier {
  verify(key: string): Promise<VerifiedKey>;
}
