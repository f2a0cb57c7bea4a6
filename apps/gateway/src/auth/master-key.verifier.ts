import { createHash, timingSafeEqual } from 'node:crypto';
import { SwitchboardError } from '@switchboard/spec';
import type { KeyVerifier, VerifiedKey } from './key-verifier';

/** Accepts exactly the master key (compared in constant time over fixed-length digests). */
export class MasterKeyVerifier implements KeyVerifier {
  private readonly digest: Buffer;
  readonly verified: VerifiedKey;

  constructor(masterKey: string) {
    this.digest = createHash('sha256').update(masterKey).digest();
    // A short fingerprint tells two master keys apart (owners of stored responses) without
    // being the key's full hash, which must appear nowhere.
    const fingerprint = createHash('sha256').update(`switchboard-master:${masterKey}`).digest('hex').slice(0, 16);
    this.verified = { caller: { keyAlias: 'master_key', keyHash: `master-${fingerprint}` }, isMasterKey: true };
  }

  matches(key: string): boolean {
    return timingSafeEqual(createHash('sha256').update(key).digest(), this.digest);
  }

  async verify(key: string): Promise<VerifiedKey> {
    if (this.matches(key)) return this.verified;
    throw new SwitchboardError('authentication', 'Incorrect API key provided', { param: null });
  }
}
