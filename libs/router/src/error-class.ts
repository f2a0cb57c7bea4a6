import type { SwitchboardError } from '@switchboard/spec';
import type { AllowedFailsPolicyKey, RetryPolicyKey, RouterSettings } from './router-settings';

export type FallbackKind = 'context_window' | 'content_policy' | 'general' | 'none';

/** The retry-policy class of an error (LiteLLM's names). */
export function retryPolicyKey(error: SwitchboardError): RetryPolicyKey | undefined {
  switch (error.code) {
    case 'invalid_request':
    case 'context_length_exceeded':
    case 'not_found':
    case 'payload_too_large':
      return 'BadRequestErrorRetries';
    case 'authentication':
    case 'permission_denied':
      return 'AuthenticationErrorRetries';
    case 'upstream_timeout':
      return 'TimeoutErrorRetries';
    case 'rate_limited':
      return 'RateLimitErrorRetries';
    case 'content_policy':
      return 'ContentPolicyViolationErrorRetries';
    case 'upstream_error':
    case 'internal':
      return 'InternalServerErrorRetries';
    case 'upstream_unavailable':
    case 'no_worker':
    case 'bus_unavailable':
      return 'ServiceUnavailableErrorRetries';
    case 'model_not_found':
    case 'budget_exceeded':
    case 'cancelled':
      return undefined;
  }
}

/** How many retries this error earns: the policy's number for its class, else `num_retries` if it is retryable. */
export function retriesFor(error: SwitchboardError, settings: RouterSettings, requestRetries?: number): number {
  const key = retryPolicyKey(error);
  if (key && settings.retryPolicy[key] !== undefined) return settings.retryPolicy[key] ?? 0;
  if (!error.isRetryable) return 0;
  return requestRetries ?? settings.numRetries;
}

/** Whether a failure counts against the deployment's health (client mistakes do not). */
export function countsAsDeploymentFailure(error: SwitchboardError): boolean {
  switch (error.code) {
    case 'rate_limited':
    case 'upstream_error':
    case 'upstream_unavailable':
    case 'upstream_timeout':
    case 'authentication':
    case 'permission_denied':
    case 'not_found':
      return true;
    default:
      return false;
  }
}

export function fallbackKind(error: SwitchboardError): FallbackKind {
  if (error.code === 'context_length_exceeded') return 'context_window';
  if (error.code === 'content_policy') return 'content_policy';
  if (error.code === 'cancelled' || error.code === 'model_not_found' || error.code === 'budget_exceeded') return 'none';
  if (error.code === 'invalid_request' || error.code === 'payload_too_large') return 'none';
  return 'general';
}

/** Failures that rest a deployment, for this error's class: `allowed_fails_policy`, else `allowed_fails`. */
export function allowedFailsFor(error: SwitchboardError, settings: RouterSettings): number {
  const key = retryPolicyKey(error);
  const policy = key ? settings.allowedFailsPolicy[key.replace(/Retries$/, 'AllowedFails') as AllowedFailsPolicyKey] : undefined;
  return policy ?? settings.allowedFails;
}
