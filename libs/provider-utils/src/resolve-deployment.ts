import { SwitchboardError } from '@switchboard/spec';
import type { DeploymentParams, ResolvedDeployment } from '@switchboard/spec';

const environmentReference = /^os\.environ\/([A-Za-z_][A-Za-z0-9_]*)$/;
const defaultTimeoutSeconds = 600;

/**
 * Resolves a deployment's `litellm_params` against this process's environment (passed in, never
 * read here from `process.env`), splitting `<provider>/<model>`. A missing variable is a clear
 * error naming the variable, never its value.
 */
export function resolveDeployment(
  id: string,
  params: DeploymentParams,
  environment: Readonly<Record<string, string | undefined>>,
  decrypt?: (value: string) => string,
): ResolvedDeployment {
  const { provider, upstreamModel } = splitModel(params.model);
  const resolved: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) resolved[name] = resolveValue(name, value, environment, decrypt);
  const { model: _model, api_base, api_key, api_version, timeout, stream_timeout, ...rest } = resolved;
  return {
    id,
    provider,
    upstreamModel,
    apiBase: optionalString(api_base),
    apiKey: optionalString(api_key),
    apiVersion: optionalString(api_version),
    timeoutMs: Math.round((optionalNumber(timeout) ?? defaultTimeoutSeconds) * 1000),
    streamTimeoutMs: optionalNumber(stream_timeout) === undefined ? undefined : Math.round(Number(stream_timeout) * 1000),
    params: rest,
  };
}

export function splitModel(model: string): { provider: string; upstreamModel: string } {
  const slash = model.indexOf('/');
  if (slash <= 0) return { provider: 'openai', upstreamModel: model };
  return { provider: model.slice(0, slash), upstreamModel: model.slice(slash + 1) };
}

function resolveValue(name: string, value: unknown, environment: Readonly<Record<string, string | undefined>>, decrypt?: (value: string) => string): unknown {
  if (typeof value !== 'string') return value;
  // Credentials of deployments stored in the database arrive encrypted (`encrypted/...`).
  if (value.startsWith('encrypted/')) {
    if (!decrypt) throw new SwitchboardError('internal', `Deployment setting ${name} is encrypted; set the salt key (SALT_KEY) on the worker`);
    try {
      return decrypt(value);
    } catch {
      throw new SwitchboardError('internal', `Deployment setting ${name} could not be decrypted with this worker's salt key`);
    }
  }
  const match = environmentReference.exec(value);
  if (!match) return value;
  const resolved = environment[match[1]];
  if (resolved === undefined || resolved === '') {
    throw new SwitchboardError(
      'internal',
      `Deployment setting ${name} refers to the environment variable ${match[1]}, which is not set on the worker`,
    );
  }
  return resolved;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function optionalNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}
