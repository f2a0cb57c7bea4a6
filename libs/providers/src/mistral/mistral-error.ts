import { parseRetryAfter, upstreamError } from '@switchboard/provider-utils';
import type { SwitchboardError } from '@switchboard/spec';
import { openAiCompatibleError } from '../openai-compatible/openai-compatible-error';
import type { MistralErrorBody } from './mistral-api-schemas';

/**
 * Mistral answers `{"object":"error","message":"...","type":"...","code":...}`, where `message` may
 * itself be an object, and validation errors as `{"detail":[...]}`. Anything else is read as OpenAI's shape.
 */
export function mistralError(status: number, bodyText: string, retryAfter?: string): SwitchboardError {
  let body: MistralErrorBody | undefined;
  try {
    body = JSON.parse(bodyText) as MistralErrorBody;
  } catch {
    body = undefined;
  }
  if (!body || body.error !== undefined || (body.message === undefined && body.detail === undefined)) {
    return openAiCompatibleError('mistral', status, bodyText, retryAfter);
  }
  const detail = body.message ?? body.detail;
  const code = body.code ?? body.type;
  return upstreamError({
    provider: 'mistral',
    status,
    message: typeof detail === 'string' ? detail : JSON.stringify(detail),
    providerCode: code === null || code === undefined ? undefined : String(code),
    retryAfterSeconds: parseRetryAfter(retryAfter),
  });
}
