import { parseRetryAfter, upstreamError } from '@switchboard/provider-utils';
import { SwitchboardError } from '@switchboard/spec';
import type { ReplicateErrorBody, ReplicatePrediction } from './replicate-api-schemas';

/** An HTTP error: Replicate's problem details (`title`, `detail`) or the raw text. */
export function replicateError(status: number, bodyText: string, retryAfter?: string): SwitchboardError {
  return upstreamError({ provider: 'replicate', status, message: readReplicateError(bodyText), retryAfterSeconds: parseRetryAfter(retryAfter) });
}

/**
 * A prediction that ended without output: `failed` carries the model's error (retrying or falling
 * back may help); `canceled` means someone stopped it.
 */
export function replicatePredictionError(prediction: ReplicatePrediction): SwitchboardError {
  if (prediction.status === 'failed') return upstreamError({ provider: 'replicate', status: 500, message: prediction.error ?? 'the prediction failed' });
  return new SwitchboardError('upstream_error', `replicate prediction ${prediction.id ?? ''} ended as ${prediction.status ?? 'unknown'}`.replace('  ', ' '), {
    retryable: false,
    providerCode: prediction.status,
  });
}

/** An `error` event of a prediction's stream: `{"detail": "..."}`. */
export function replicateStreamError(data: string): SwitchboardError {
  return upstreamError({ provider: 'replicate', status: 500, message: readReplicateError(data) });
}

function readReplicateError(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as ReplicateErrorBody;
    return body.detail ?? body.title ?? (text.slice(0, 500) || undefined);
  } catch {
    return text.slice(0, 500) || undefined;
  }
}
