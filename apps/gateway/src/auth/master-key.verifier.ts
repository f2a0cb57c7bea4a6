import { createHash, timingSafeEqual } from 'node:crypto';
import { SwitchboardError } from '@switchboard/spec';
import type { KeyVerifier, VerifiedKey } from './key-verifier';

/** Accepts exactly the master key (compared in constant time over fixed-length digests). */
export class MasterKeyVerifier implements KeyVerifier {
  private readonly digest: Buffer;
  private readonly verified: VerifiedKey = { caller: { keyAlias: 'master_key' }, isMasterKey: true };

  constructor(masterKey: string) {
    this.digest = createHash('sha256').update(masterKey).digest();
  }

  async verify(key: string): Promise<VerifiedKey> {
    const candidate = createHash('sha256').update(key).digest();
    if (timingSafeEqual(candidate, this.digest)) return this.verified;
    throw new SwitchboardError('authentication', 'Incorrect API key provided', { param: null });
  }
}
