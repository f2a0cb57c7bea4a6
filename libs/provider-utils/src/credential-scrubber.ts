import { SwitchboardError } from '@switchboard/spec';
import type { DeploymentParams, ErrorPayload, ResolvedDeployment } from '@switchboard/spec';
import { redactSecrets } from './redact';

/** `litellm_params` names that hold credentials (prices name tokens but are not secrets). */
const credentialName = /(^|_)(api_key|key|secret|token|password|credentials)($|_)/;
const priceName = /cost|price/;
/** Header names of `extra_headers` whose values authenticate. */
const credentialHeader = /auth|key|token|secret|cookie|signature|session/i;
/** Shorter values are not credentials and would scrub ordinary words. */
const minimumLength = 6;
const redacted = '[REDACTED]';

/**
 * Removes a deployment's actual credential values from text that leaves the worker (upstream
 * error messages, in-stream errors, health probe results), on top of the pattern-based
 * `redactSecrets`: a key with no known prefix, echoed back by an upstream in a 401, is caught
 * because the worker knows the value it sent. Covers config literals, resolved `os.environ/`
 * values and decrypted stored credentials, and their trivial encodings (URL, base64, base64url,
 * JSON-escaped). The list is built on first use, so a call that succeeds never pays for it.
 */
export class CredentialScrubber {
  private variants: string[] | undefined;

  constructor(
    private readonly params: DeploymentParams,
    private readonly deployment: ResolvedDeployment,
  ) {}

  scrub(text: string): string {
    let result = text;
    for (const variant of this.secretVariants()) if (result.includes(variant)) result = result.split(variant).join(redacted);
    return redactSecrets(result);
  }

  scrubError(error: SwitchboardError): SwitchboardError {
    const message = this.scrub(error.message);
    const providerCode = error.providerCode === undefined ? undefined : this.scrub(error.providerCode);
    if (message === error.message && providerCode === error.providerCode) return error;
    return SwitchboardError.fromPayload({ ...error.toPayload(), message, providerCode });
  }

  scrubPayload(payload: ErrorPayload): ErrorPayload {
    const message = this.scrub(payload.message);
    const providerCode = payload.providerCode === undefined ? undefined : this.scrub(payload.providerCode);
    if (message === payload.message && providerCode === payload.providerCode) return payload;
    return { ...payload, message, providerCode };
  }

  /** Every form of every credential, longest first (so a value inside another is not cut in half). */
  private secretVariants(): string[] {
    if (this.variants) return this.variants;
    const forms = new Set<string>();
    for (const secret of credentialValues(this.params, this.deployment)) {
      for (const form of encodings(secret)) if (form.length >= minimumLength) forms.add(form);
    }
    this.variants = [...forms].sort((left, right) => right.length - left.length);
    return this.variants;
  }
}

/** The credential values a deployment was called with, resolved. */
export function credentialValues(params: DeploymentParams, deployment: ResolvedDeployment): string[] {
  const values: string[] = [];
  const resolvedValue = (name: string): unknown => {
    if (name === 'api_key') return deployment.apiKey;
    if (name === 'api_base') return deployment.apiBase;
    if (name === 'api_version') return deployment.apiVersion;
    return deployment.params[name];
  };
  for (const [name, raw] of Object.entries(params)) {
    const value = resolvedValue(name);
    // Anything the worker resolved from its environment or decrypted is treated as a secret.
    const resolvedSecret = typeof raw === 'string' && (raw.startsWith('os.environ/') || raw.startsWith('encrypted/'));
    if (name === 'extra_headers' && value && typeof value === 'object') {
      for (const [header, headerValue] of Object.entries(value)) if (credentialHeader.test(header) && typeof headerValue === 'string') values.push(headerValue);
    } else if (name === 'api_base' && typeof value === 'string') {
      values.push(...urlCredentials(value));
      if (resolvedSecret) values.push(value);
    } else if ((credentialName.test(name) && !priceName.test(name)) || resolvedSecret) {
      values.push(...stringLeaves(value));
    }
  }
  return values;
}

/** A credential's own value and the forms an upstream may echo it in; a JSON document's values too. */
function encodings(secret: string): string[] {
  const forms = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
  const base64 = Buffer.from(secret, 'utf8').toString('base64');
  forms.push(base64, base64.replace(/=+$/, ''), Buffer.from(secret, 'utf8').toString('base64url'));
  // A multi-line secret (a PEM private key) is also scrubbed line by line.
  if (secret.includes('\n')) for (const line of secret.split(/\r?\n/)) if (line.length >= 16) forms.push(line);
  // Service-account JSON given as a string: each of its values.
  if (secret.trimStart().startsWith('{')) {
    try {
      for (const leaf of stringLeaves(JSON.parse(secret))) forms.push(...encodings(leaf));
    } catch {
      // Not JSON: the whole value is already in the list.
    }
  }
  return forms;
}

function stringLeaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringLeaves);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringLeaves);
  return [];
}

/** `https://user:password@host/?key=...`: the user info and query values of an API base. */
function urlCredentials(apiBase: string): string[] {
  let url: URL;
  try {
    url = new URL(apiBase);
  } catch {
    return [];
  }
  const values = [...url.searchParams.values()];
  if (url.password) values.push(decodeURIComponent(url.password), `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`);
  return values;
}
