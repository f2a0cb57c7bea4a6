import { SecretBox } from '@switchboard/identity';

/**
 * Decrypts the credentials of deployments stored in the database (`/model/new`), with the same
 * salt key as the auth service (`SALT_KEY`, or LiteLLM's `LITELLM_SALT_KEY`). Without one, such
 * deployments fail with a clear error and config deployments work as before.
 */
export function storedCredentialDecrypter(environment: Readonly<Record<string, string | undefined>>): ((value: string) => string) | undefined {
  const saltKey = environment.SALT_KEY || environment.LITELLM_SALT_KEY;
  if (!saltKey) return undefined;
  const box = new SecretBox(saltKey);
  return (value) => box.decrypt(value);
}
