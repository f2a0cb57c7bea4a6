import { parseRetryAfter, upstreamError } from '@switchboard/provider-utils';
import type { SwitchboardError } from '@switchboard/spec';
import type { ContainerErrorBody, SagemakerErrorBody } from './sagemaker-api-schemas';

/**
 * SageMaker Runtime's HTTP errors by `x-amzn-errortype`. A `ModelError` (424) is the container's
 * own error: its `OriginalStatusCode` decides (a TGI 422 stays a client error, 429 a rate limit,
 * 5xx a retryable failure). `ModelNotReadyException` (an endpoint still loading) is an outage, not
 * a rate limit; `ThrottlingException` is one whatever its status. https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html#API_runtime_InvokeEndpoint_Errors
 */
export function sagemakerError(provider: string, status: number, errorType: string | undefined, bodyText: string, retryAfter?: string): SwitchboardError {
  const body = parseJson<SagemakerErrorBody>(bodyText);
  const type = errorType?.split(':')[0] || undefined;
  const awsMessage = body?.message ?? body?.Message ?? (body ? undefined : bodyText.slice(0, 500) || undefined);
  const retryAfterSeconds = parseRetryAfter(retryAfter);
  if (type === 'ModelError' || typeof body?.OriginalStatusCode === 'number') {
    const original = body?.OriginalStatusCode;
    return upstreamError({
      provider,
      status: typeof original === 'number' && original >= 400 && original < 600 ? original : 502,
      message: containerMessage(body?.OriginalMessage) ?? awsMessage,
      providerCode: type ?? 'ModelError',
      retryAfterSeconds,
    });
  }
  return upstreamError({ provider, status: statusByErrorType[type ?? ''] ?? status, message: awsMessage, providerCode: type, retryAfterSeconds });
}

/** Error types whose HTTP status misleads: AWS throttling comes as 400, a loading model as 429. */
const statusByErrorType: Record<string, number> = {
  ThrottlingException: 429,
  ModelNotReadyException: 503,
};

/**
 * An exception message inside InvokeEndpointWithResponseStream's event stream: `ModelStreamError`
 * (`ErrorCode` StreamBroken or ModelInvocationTimeExceeded) or `InternalStreamFailure`.
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_ResponseStream.html
 */
export function sagemakerStreamException(provider: string, exceptionType: string | undefined, payload: string): SwitchboardError {
  const body = parseJson<SagemakerErrorBody>(payload);
  const status = body?.ErrorCode === 'ModelInvocationTimeExceeded' ? 504 : exceptionType === 'InternalStreamFailure' ? 500 : 502;
  return upstreamError({ provider, status, message: body?.Message ?? body?.message ?? (payload.slice(0, 500) || undefined), providerCode: body?.ErrorCode ?? exceptionType });
}

/** TGI's in-stream error event `{error, error_type}`: validation is the caller's, overloaded a rate limit. */
export function tgiStreamError(provider: string, error: string, errorType: string | undefined): SwitchboardError {
  const status = errorType === 'validation' ? 422 : errorType === 'overloaded' ? 429 : 500;
  return upstreamError({ provider, status, message: error, providerCode: errorType });
}

/** The container's error text: TGI `{error}`, OpenAI `{error: {message}}`, or the text as it is. */
function containerMessage(original: string | undefined): string | undefined {
  if (!original) return undefined;
  const body = parseJson<ContainerErrorBody>(original);
  if (!body) return original.slice(0, 500);
  if (typeof body.error === 'string') return body.error;
  return body.error?.message ?? body.message ?? original.slice(0, 500);
}

function parseJson<T>(text: string): T | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}
