import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const prefix = 'encrypted/';

/**
 * Encrypts the credentials of deployments stored in the database (AES-256-GCM, key derived from
 * the salt key, `LITELLM_SALT_KEY` in LiteLLM terms). Values are `encrypted/<iv.tag.ciphertext>`
 * in base64url, so they stay opaque in rows, NATS messages and logs; the worker decrypts them
 * just before the upstream call.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(saltKey: string) {
    if (!saltKey) throw new Error('A salt key is required to store model credentials');
    this.key = createHash('sha256').update(`switchboard-secret-box:${saltKey}`).digest();
  }

  static isEncrypted(value: unknown): value is string {
    return typeof value === 'string' && value.startsWith(prefix);
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${prefix}${[iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url')).join('.')}`;
  }

  decrypt(value: string): string {
    const [iv, tag, ciphertext] = value.slice(prefix.length).split('.').map((part) => Buffer.from(part, 'base64url'));
    if (!iv || !tag || !ciphertext) throw new Error('Malformed encrypted value');
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  }
}

/** `litellm_params` fields that hold credentials: encrypted at rest, redacted when shown. */
export function isSecretParam(name: string): boolean {
  // Prices (`input_cost_per_token`, `cache_read_input_token_cost`) name tokens but are not secrets.
  if (/cost|price/.test(name)) return false;
  return /(^|_)(api_key|secret|token|password|credentials)($|_)|^aws_access_key_id$|^azure_ad_token$/.test(name);
}
