import { upstreamError } from '@switchboard/provider-utils';
import type { SwitchboardError } from '@switchboard/spec';

const statusByException: Record<string, number> = {
  throttlingException: 429,
  ThrottlingException: 429,
  validationException: 400,
  ValidationException: 400,
  accessDeniedException: 403,
  AccessDeniedException: 403,
  modelNotReadyException: 503,
  ModelNotReadyException: 503,
  serviceUnavailableException: 503,
  ServiceUnavailableException: 503,
  modelTimeoutException: 504,
  ModelTimeoutException: 504,
  modelStreamErrorException: 502,
  internalServerException: 500,
};

/** Errors by `x-amzn-errortype` (HTTP) or `:exception-type` (stream), with Bedrock's `{message}` body. */
export function bedrockError(status: number | undefined, errorType: string | undefined, bodyText: string): SwitchboardError {
  let message: string | undefined;
  try {
    message = (JSON.parse(bodyText) as { message?: string; Message?: string }).message ?? (JSON.parse(bodyText) as { Message?: string }).Message;
  } catch {
    message = bodyText.slice(0, 500) || undefined;
  }
  const type = errorType?.split(':')[0];
  return upstreamError({ provider: 'bedrock', status: status ?? (type ? (statusByException[type] ?? 500) : 500), message, providerCode: type });
}
