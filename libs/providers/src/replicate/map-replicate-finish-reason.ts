import type { FinishReason } from '@switchboard/spec';

/**
 * Replicate reports no finish reason, only how the prediction ended: its `status` (`succeeded`,
 * `failed`, `canceled`, `aborted`) or the `reason` of the stream's `done` event (absent on
 * success, `canceled` or `error` otherwise).
 */
export function mapReplicateFinishReason(raw: string | null | undefined): FinishReason {
  switch (raw) {
    case 'succeeded':
      return { unified: 'stop', raw };
    case 'failed':
    case 'error':
      return { unified: 'error', raw };
    case 'canceled':
    case 'aborted':
      return { unified: 'other', raw };
    case null:
    case undefined:
    case '':
      return { unified: 'stop', raw: null };
    default:
      return { unified: 'other', raw };
  }
}
