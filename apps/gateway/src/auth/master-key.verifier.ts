import { createHash, timingSafeEqual } from 'node:crypto';
import { SwitchboardError } from '@switchboard/spec';
import type { KeyVerifier, VerifiedKey } from './key-verifier';

/** Accepts exactly the master key (compared in constant time over fixed-length digests). */
export class MasterKeyVerifier implements KeyVerifier {
  private readonly digest: Buffer;
  private readonly verified: VerifiedKey;

  constructor(masterKey: string) {
    this.digest = createHash('sha256').update(masterKey).digest();
    // A short fingerprint tells two master keys apart (owners of stored responses) without
    // being the key's full hash, which must appear nowhere.
    const fingerprint = createHash('sha256').update(`switchboard-master:${masterKey}`).digest('hex').slice(0, 16);
    this.verified = { caller: { keyAlias: 'master_key', keyHash: `master-${fingerprint}` }, isMasterKey: true };
  }

  async verify(key: string): Promise<VerifiedKey> {
    const candidate = createHash('sha256').update(key).digest();
    if (timingSafeEqual(candidate, this.digest)) return this.verified;
    throw new SwitchboardError('authentication', 'Incorrect API key provided', { param: null });
  }
}
