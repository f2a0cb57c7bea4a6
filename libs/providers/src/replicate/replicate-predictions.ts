import { setTimeout as sleep } from 'node:timers/promises';
import { headerValue, networkError, postUpstream, readText, sendUpstream, parseUpstreamJson } from '@switchboard/provider-utils';
import type { UpstreamResponse } from '@switchboard/provider-utils';
import { SwitchboardError } from '@switchboard/spec';
import type { ResolvedDeployment } from '@switchboard/spec';
import { replicateAuthorization, replicateCreateTarget, replicatePollIntervalMs, replicatePreferWait } from './replicate-api';
import type { ReplicatePrediction } from './replicate-api-schemas';
import { replicateError } from './replicate-error';

const finished = new Set(['succeeded', 'failed', 'canceled', 'aborted']);

export function isFinished(prediction: ReplicatePrediction): boolean {
  return finished.has(prediction.status ?? '');
}

/**
 * Creates a prediction. A synchronous create (`Prefer: wait`) answers once the model finished or
 * the wait ran out; a streaming create answers at once with the prediction's `urls.stream`.
 */
export async function createPrediction(
  deployment: ResolvedDeployment,
  input: Record<string, unknown>,
  mode: 'wait' | 'stream',
  signal: AbortSignal,
): Promise<ReplicatePrediction> {
  const target = replicateCreateTarget(deployment);
  const response = await postUpstream({
    url: target.url,
    headers: {
      'content-type': 'application/json',
      ...replicateAuthorization(deployment),
      ...(mode === 'wait' ? { prefer: replicatePreferWait(deployment) } : {}),
    },
    // `stream: true` asks older model versions for a stream URL; newer ones always give one.
    body: { ...(target.version ? { version: target.version } : {}), input, ...(mode === 'stream' ? { stream: true } : {}) },
    deployment,
    signal,
    stream: false,
    toError: (status, text, headers) => replicateError(status, text, headerValue(headers, 'retry-after')),
  });
  return parseUpstreamJson<ReplicatePrediction>(await readText(response, signal), 'replicate');
}

/** Polls `urls.get` until the prediction has finished (Replicate's protocol for runs longer than the wait). */
export async function waitForPrediction(deployment: ResolvedDeployment, prediction: ReplicatePrediction, signal: AbortSignal): Promise<ReplicatePrediction> {
  let current = prediction;
  const interval = replicatePollIntervalMs(deployment);
  while (!isFinished(current)) {
    if (!current.urls?.get) throw new SwitchboardError('upstream_error', 'replicate returned a running prediction without a URL to poll');
    try {
      await sleep(interval, undefined, { signal });
    } catch (error) {
      throw networkError(error, signal);
    }
    current = await getPrediction(deployment, current.urls.get, signal);
  }
  return current;
}

export async function getPrediction(deployment: ResolvedDeployment, url: string, signal: AbortSignal): Promise<ReplicatePrediction> {
  const response = await send(deployment, url, 'GET', { accept: 'application/json' }, signal);
  return parseUpstreamJson<ReplicatePrediction>(await readText(response, signal), 'replicate');
}

/** Opens a prediction's SSE stream; an HTTP error is thrown before any part is yielded. */
export function openPredictionStream(deployment: ResolvedDeployment, url: string, signal: AbortSignal): Promise<UpstreamResponse> {
  return send(deployment, url, 'GET', { accept: 'text/event-stream', 'cache-control': 'no-store' }, signal, deployment.streamTimeoutMs);
}

/**
 * Cancels a prediction whose caller went away, so it stops running (and costing). Best effort, on
 * its own short deadline since the caller's signal has already fired.
 */
export function cancelPrediction(deployment: ResolvedDeployment, prediction: ReplicatePrediction): void {
  if (!prediction.urls?.cancel || isFinished(prediction)) return;
  send(deployment, prediction.urls.cancel, 'POST', {}, AbortSignal.timeout(5_000))
    .then((response) => response.body.dump())
    .catch(() => undefined);
}

async function send(
  deployment: ResolvedDeployment,
  url: string,
  method: 'GET' | 'POST',
  headers: Record<string, string>,
  signal: AbortSignal,
  timeoutMs = deployment.timeoutMs,
): Promise<UpstreamResponse> {
  const response = await sendUpstream({
    url,
    method,
    headers: { ...headers, ...replicateAuthorization(deployment) },
    signal,
    headersTimeoutMs: timeoutMs,
    bodyTimeoutMs: timeoutMs,
  });
  if (response.status >= 400) throw replicateError(response.status, await readText(response, signal), headerValue(response.headers, 'retry-after'));
  return response;
}
