import { describe, expect, it } from 'vitest';
import { MasterKeyVerifier } from './master-key.verifier';
import { readApiKey } from './read-api-key';

describe('MasterKeyVerifier', () => {
  const verifier = new MasterKeyVerifier('sk-master');

  it('accepts the master key and refuses anything else with 401', async () => {
    await expect(verifier.verify('sk-master')).resolves.toMatchObject({ isMasterKey: true });
    await expect(verifier.verify('sk-master-but-longer')).rejects.toMatchObject({ code: 'authentication', status: 401 });
    await expect(verifier.verify('')).rejects.toMatchObject({ status: 401 });
  });
});

describe('readApiKey', () => {
  it.each([
    [{ authorization: 'Bearer sk-1' }, 'sk-1'],
    [{ authorization: 'bearer   sk-2 ' }, 'sk-2'],
    [{ 'x-api-key': 'sk-3' }, 'sk-3'],
    [{ 'api-key': 'sk-4' }, 'sk-4'],
    [{}, undefined],
  ])('reads %j', (headers, key) => {
    expect(readApiKey(headers)).toBe(key);
  });
});
