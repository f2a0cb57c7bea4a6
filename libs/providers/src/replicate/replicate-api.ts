import { SwitchboardError } from '@switchboard/spec';
import type { ResolvedDeployment } from '@switchboard/spec';

export const replicateDefaultBaseUrl = 'https://api.replicate.com';

/**
 * Where a prediction is created (https://replicate.com/docs/topics/predictions/create-a-prediction):
 * `owner/name` runs an official model (/v1/models/{owner}/{name}/predictions), `owner/name:version`
 * a given version (/v1/predictions with `version`), `deployments/owner/name` a deployment
 * (/v1/deployments/{owner}/{name}/predictions).
 */
export function replicateCreateTarget(deployment: ResolvedDeployment): { url: string; version?: string } {
  const base = (deployment.apiBase ?? replicateDefaultBaseUrl).replace(/\/+$/, '').replace(/\/v1$/, '');
  const model = deployment.upstreamModel;
  if (model.startsWith('deployments/')) return { url: `${base}/v1/${model}/predictions` };
  const colon = model.indexOf(':');
  if (colon > 0) return { url: `${base}/v1/predictions`, version: model.slice(colon + 1) };
  return { url: `${base}/v1/models/${model}/predictions` };
}

/** The Authorization header of every call (create, poll, stream, cancel). */
export function replicateAuthorization(deployment: ResolvedDeployment): Record<string, string> {
  if (!deployment.apiKey) {
    throw new SwitchboardError('authentication', `Deployment ${deployment.id} (replicate) has no api_key`, { status: 500, retryable: false });
  }
  return { authorization: `Bearer ${deployment.apiKey}` };
}

/**
 * The `Prefer` header of a synchronous create: `wait` holds the request open for up to 60 s
 * (`replicate_wait_seconds` shortens it); a prediction still running after that is polled.
 */
export function replicatePreferWait(deployment: ResolvedDeployment): string {
  const seconds = numberParam(deployment.params.replicate_wait_seconds);
  return Number.isInteger(seconds) && seconds >= 1 && seconds <= 60 ? `wait=${seconds}` : 'wait';
}

/** The pause between two polls of a running prediction: `replicate_poll_interval_ms`, 500 ms by default. */
export function replicatePollIntervalMs(deployment: ResolvedDeployment): number {
  const interval = numberParam(deployment.params.replicate_poll_interval_ms);
  return interval >= 0 ? interval : 500;
}

function numberParam(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}
