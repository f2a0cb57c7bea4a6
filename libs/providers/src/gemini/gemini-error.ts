import { parseRetryAfter, upstreamError } from '@switchboard/provider-utils';
import type { SwitchboardError } from '@switchboard/spec';
import type { GeminiResponse } from './gemini-api-schemas';

/** Google's error JSON `{error:{code,message,status}}`: https://ai.google.dev/gemini-api/docs/troubleshooting */
export function geminiError(status: number, bodyText: string, retryAfter?: string): SwitchboardError {
  let error: GeminiResponse['error'] = {};
  try {
    error = (JSON.parse(bodyText) as GeminiResponse).error ?? {};
  } catch {
    error = { message: bodyText.slice(0, 500) };
  }
  return upstreamError({ provider: 'gemini', status, message: error.message, providerCode: error.status, retryAfterSeconds: parseRetryAfter(retryAfter) });
}
