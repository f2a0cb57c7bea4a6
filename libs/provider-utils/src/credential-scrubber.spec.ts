import { describe, expect, it } from 'vitest';
import { SwitchboardError } from '@switchboard/spec';
import { CredentialScrubber, credentialValues } from './credential-scrubber';
import { resolveDeployment } from './resolve-deployment';

const literal = 'q7Hx2mZp9LwR4tVb8NcK';
const fromEnvironment = 'envSecret-0a1b2c3d4e5f';
const decrypted = 'stored-9f8e7d6c5b4a';

function scrubberFor(params: Record<string, unknown> & { model: string }, environment: Record<string, string> = {}) {
  const decrypt = (value: string) => (value === 'encrypted/abc' ? decrypted : value);
  return new CredentialScrubber(params, resolveDeployment('d1', params, environment, decrypt));
}

describe('CredentialScrubber', () => {
  it('removes literal, environment and decrypted credentials that match no known key pattern', () => {
    const scrubber = scrubberFor(
      { model: 'openai/x', api_key: literal, aws_secret_access_key: 'os.environ/AWS_SECRET', vertex_credentials: 'encrypted/abc' },
      { AWS_SECRET: fromEnvironment },
    );
    const text = `Incorrect API key provided: ${literal}; secret ${fromEnvironment}; stored ${decrypted}`;
    expect(scrubber.scrub(text)).toBe('Incorrect API key provided: [REDACTED]; secret [REDACTED]; stored [REDACTED]');
  });

  it('removes URL-encoded, base64, base64url and JSON-escaped forms', () => {
    const secret = 'a+b/c=d e?f&g"h';
    const scrubber = scrubberFor({ model: 'openai/x', api_key: secret });
    for (const form of [encodeURIComponent(secret), Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url'), JSON.stringify(secret).slice(1, -1)]) {
      expect(scrubber.scrub(`echo ${form} end`)).toBe('echo [REDACTED] end');
    }
  });

  it('removes each value of a service account document and the lines of its private key', () => {
    const privateKey = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n';
    const scrubber = scrubberFor({ model: 'vertex_ai/gemini', vertex_credentials: JSON.stringify({ private_key_id: 'keyid-1234567890', private_key: privateKey }) });
    expect(scrubber.scrub('bad key keyid-1234567890 near MIIEvQIBADANBgkqhkiG9w0BAQEFAASC')).toBe('bad key [REDACTED] near [REDACTED]');
  });

  it('keeps ordinary settings and prices, scrubs credential headers and URL user info', () => {
    const params = {
      model: 'openai/x',
      api_base: 'https://user:p4ssw0rd-xyz@example.test/v1?token=tok-123456',
      extra_headers: { 'x-custom-auth': 'hdr-secret-123', 'x-trace': 'visible-value' },
      input_cost_per_token: '0.000001',
      aws_region_name: 'us-east-1',
    };
    const values = credentialValues(params, resolveDeployment('d1', params, {}));
    expect(values).toEqual(expect.arrayContaining(['p4ssw0rd-xyz', 'tok-123456', 'hdr-secret-123']));
    expect(values).not.toContain('visible-value');
    expect(values).not.toContain('us-east-1');
    expect(values).not.toContain('0.000001');
  });

  it('scrubs an error and an error payload, also after pattern redaction, and leaves clean ones as they are', () => {
    const scrubber = scrubberFor({ model: 'openai/x', api_key: literal });
    const error = new SwitchboardError('authentication', `openai error: bad key ${literal}, also sk-abcdefghijklmnop`, { providerCode: 'invalid_api_key' });
    const scrubbed = scrubber.scrubError(error);
    expect(scrubbed.message).toBe('openai error: bad key [REDACTED], also [REDACTED]');
    expect(scrubbed).toMatchObject({ code: 'authentication', status: 401, providerCode: 'invalid_api_key' });
    expect(scrubber.scrubPayload({ ...error.toPayload(), message: `x ${literal}` }).message).toBe('x [REDACTED]');
    const clean = new SwitchboardError('upstream_error', 'down');
    expect(scrubber.scrubError(clean)).toBe(clean);
  });
});
