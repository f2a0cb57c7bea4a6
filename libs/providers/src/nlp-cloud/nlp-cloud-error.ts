import { parseRetryAfter, upstreamError } from '@switchboard/provider-utils';
import type { SwitchboardError } from '@switchboard/spec';
import type { NlpCloudErrorBody } from './nlp-cloud-api-schemas';

/** NLP Cloud errors carry their message in `detail` (its clients read `err.response.data.detail`). */
export function nlpCloudError(status: number, bodyText: string, retryAfter?: string): SwitchboardError {
  return upstreamError({ provider: 'nlp_cloud', status, message: readDetail(bodyText), retryAfterSeconds: parseRetryAfter(retryAfter) });
}

function readDetail(bodyText: string): string | undefined {
  try {
    const detail = (JSON.parse(bodyText) as NlpCloudErrorBody).detail;
    if (typeof detail === 'string') return detail;
    if (Array.isArray(detail)) return detail.map((item) => item.msg).filter(Boolean).join('; ') || undefined;
  } catch {
    // not JSON
  }
  return bodyText.startsWith('<') ? undefined : bodyText.slice(0, 500) || undefined;
}
