import type { ClassifiedFailure } from '@switchboard/messaging';
import { redactSecretsInText } from '@switchboard/observability';
import { SwitchboardError } from '@switchboard/spec';

/**
 * What a failed delivery to a callback destination means. Permanent: the destination refused the
 * events in a way retrying cannot heal (a 4xx other than 408 / 429: wrong keys, a wrong path, a batch it
 * rejects); they are parked in the dead-letter stream with that answer, to replay once it is fixed.
 * Anything else (5xx, 408, 429, a timeout, a refused connection) is retried on the consumer's backoff:
 * `unknown` rather than `transient`, because a destination may stay down for days and its events must
 * not be held forever; each retry counts as a delivery and the events are parked at max_deliver.
 */
export function classifyDeliveryFailure(error: unknown): ClassifiedFailure {
  // Reasons are stored in the dead-letter stream and logged: never a credential that an error message carried.
  const message = redactSecretsInText(error instanceof Error ? error.message : String(error));
  if (error instanceof SwitchboardError && !error.isRetryable) return { kind: 'permanent', reason: `destination refused the events: ${message}` };
  return { kind: 'unknown', reason: message };
}
