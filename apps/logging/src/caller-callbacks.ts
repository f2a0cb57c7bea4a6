import { createHash } from 'node:crypto';
import type { CallerLogging, UsageEventV1 } from '@switchboard/contracts';
import { wanted } from './callback-destination';
import { parseHeaderList } from './webhook.destination';

/** Where a key's or team's `metadata.logging` entry sends events, its settings resolved. */
export type CallerDestinationSettings =
  | { kind: 'langfuse'; host: string; publicKey: string; secretKey: string }
  | { kind: 'webhook'; endpoint: string; headers: Record<string, string> };

export interface CallerDestinationTarget {
  /** A hash of the resolved settings: entries that resolve alike (a key's and its team's) share one delivery lane. */
  id: string;
  /** For logs and health: the callback and the host, never credentials, paths or queries. */
  label: string;
  settings: CallerDestinationSettings;
}

export type CallerResolution = { ok: true; target: CallerDestinationTarget } | { ok: false; reason: string };

export interface CallerCallbackContext {
  /** The logging service's environment, for `os.environ/NAME` values. */
  environment: Readonly<Record<string, string | undefined>>;
  /** `CALLBACK_VARS_ENV_ALLOWLIST`: names, or prefixes ending in `*`, that metadata may refer to. */
  environmentAllowlist: readonly string[];
  /** `LANGFUSE_HOST`: the Langfuse an entry without `langfuse_host` goes to (LiteLLM's fallback). */
  defaultLangfuseHost: string;
}

const environmentReference = /^os\.environ\/([A-Za-z_][A-Za-z0-9_]*)$/;
const webhookNames = new Set(['webhook', 'generic_api', 'generic']);

/** `A,B_*` as a list; blanks dropped. */
export function parseEnvironmentAllowlist(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

export function environmentAllowed(name: string, allowlist: readonly string[]): boolean {
  return allowlist.some((pattern) => (pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern));
}

/** `success` / `failure` / `success_and_failure` against the event's outcome (cancelled counts as a failure). */
export function entryWants(entry: CallerLogging, event: Pick<UsageEventV1, 'status'>): boolean {
  const wants = entry.callback_type === 'success_and_failure' ? 'all' : entry.callback_type;
  return wanted({ wants }, event);
}

/**
 * Resolves one `metadata.logging` entry into a destination. `os.environ/NAME` values are read here,
 * in the logging service, and only for allow-listed names: whoever may write a key's metadata must
 * not be able to send this service's own secrets to a host of their choosing. Reasons never
 * contain a value, only setting and variable names.
 */
export function resolveCallerLogging(entry: CallerLogging, context: CallerCallbackContext): CallerResolution {
  const failures: string[] = [];
  const read = (name: string): string | undefined => {
    const value = entry.callback_vars[name];
    if (value === undefined || value === '') return undefined;
    const reference = environmentReference.exec(value);
    if (!reference) return value;
    const variable = reference[1];
    if (!environmentAllowed(variable, context.environmentAllowlist)) {
      failures.push(`callback_vars.${name} refers to ${variable}, which is not in CALLBACK_VARS_ENV_ALLOWLIST`);
      return undefined;
    }
    const resolved = context.environment[variable];
    if (!resolved) failures.push(`callback_vars.${name} refers to ${variable}, which is not set on the logging service`);
    return resolved || undefined;
  };

  let settings: CallerDestinationSettings | undefined;
  if (entry.callback_name === 'langfuse') {
    const publicKey = read('langfuse_public_key');
    // LiteLLM accepts both names for the secret key.
    const secretKey = entry.callback_vars.langfuse_secret_key !== undefined ? read('langfuse_secret_key') : read('langfuse_secret');
    const host = read('langfuse_host') ?? context.defaultLangfuseHost;
    if (failures.length) return { ok: false, reason: failures.join('; ') };
    if (!publicKey || !secretKey) return { ok: false, reason: 'langfuse needs callback_vars.langfuse_public_key and langfuse_secret_key' };
    if (!httpUrl(host)) return { ok: false, reason: 'callback_vars.langfuse_host is not an http(s) URL' };
    settings = { kind: 'langfuse', host, publicKey, secretKey };
  } else if (webhookNames.has(entry.callback_name)) {
    const endpoint = read('generic_logger_endpoint');
    const headers = read('generic_logger_headers');
    if (failures.length) return { ok: false, reason: failures.join('; ') };
    if (!endpoint) return { ok: false, reason: `${entry.callback_name} needs callback_vars.generic_logger_endpoint` };
    if (!httpUrl(endpoint)) return { ok: false, reason: 'callback_vars.generic_logger_endpoint is not an http(s) URL' };
    settings = { kind: 'webhook', endpoint, headers: parseHeaderList(headers) };
  } else {
    return { ok: false, reason: `callback '${entry.callback_name}' is not supported per key or team (langfuse, webhook, generic_api are)` };
  }
  const identity = settings.kind === 'langfuse' ? [settings.kind, settings.host, settings.publicKey, settings.secretKey] : [settings.kind, settings.endpoint, Object.entries(settings.headers).sort()];
  const id = createHash('sha256').update(JSON.stringify(identity)).digest('hex');
  const location = new URL(settings.kind === 'langfuse' ? settings.host : settings.endpoint).origin;
  return { ok: true, target: { id, label: `${settings.kind} ${location} #${id.slice(0, 8)}`, settings } };
}

function httpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
