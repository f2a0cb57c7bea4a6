import { createHash } from 'node:crypto';
import { postUpstream, readText, upstreamError, parseUpstreamJson } from '@switchboard/provider-utils';
import { SwitchboardError } from '@switchboard/spec';
import type { ResolvedDeployment } from '@switchboard/spec';
import type { IbmIamErrorBody, IbmIamTokenResponse } from './watsonx-api-schemas';

export const ibmIamDefaultUrl = 'https://iam.cloud.ibm.com/identity/token';

/** A token is exchanged again this long before IAM says it expires. */
const refreshMarginMs = 60_000;

interface IamToken {
  token: string;
  expiresAt: number;
}

/** Tokens by IAM URL and a hash of the API key (the key itself is never a map key or a log field). */
const tokens = new Map<string, Promise<IamToken>>();

export interface WatsonxBearer {
  token: string;
  /** Whether the token came from an IAM exchange (and may be exchanged again after a 401). */
  exchanged: boolean;
}

/**
 * The bearer token of a watsonx call: `params.watsonx_token` as given; the `api_key` itself when
 * `watsonx_token: true` says it already is a token; otherwise the `api_key` exchanged at IBM Cloud
 * IAM (https://cloud.ibm.com/docs/iam?topic=iam-iamtoken_from_apikey), cached until shortly before
 * it expires and shared by concurrent calls.
 */
export async function watsonxBearer(deployment: ResolvedDeployment, signal: AbortSignal): Promise<WatsonxBearer> {
  const direct = deployment.params.watsonx_token;
  if (typeof direct === 'string' && direct) return { token: direct, exchanged: false };
  if (!deployment.apiKey) {
    throw new SwitchboardError('authentication', `Deployment ${deployment.id} (watsonx) has no api_key or watsonx_token`, { status: 500, retryable: false });
  }
  if (direct === true) return { token: deployment.apiKey, exchanged: false };
  const key = cacheKey(deployment);
  const cached = tokens.get(key);
  if (cached) {
    // A shared exchange that failed (even one cancelled by its own caller) is simply done again.
    const token = await cached.catch(() => undefined);
    if (token && token.expiresAt - refreshMarginMs > Date.now()) return { token: token.token, exchanged: true };
    if (tokens.get(key) === cached) tokens.delete(key);
  }
  const pending = exchangeApiKey(deployment, signal);
  tokens.set(key, pending);
  pending.catch(() => {
    if (tokens.get(key) === pending) tokens.delete(key);
  });
  return { token: (await pending).token, exchanged: true };
}

/** Drops the cached token of a deployment (after watsonx refused it). */
export function forgetWatsonxToken(deployment: ResolvedDeployment): void {
  if (deployment.apiKey) tokens.delete(cacheKey(deployment));
}

function iamUrl(deployment: ResolvedDeployment): string {
  const url = deployment.params.watsonx_iam_url;
  return typeof url === 'string' && url ? url : ibmIamDefaultUrl;
}

function cacheKey(deployment: ResolvedDeployment): string {
  return `${iamUrl(deployment)} ${createHash('sha256').update(deployment.apiKey ?? '').digest('hex')}`;
}

async function exchangeApiKey(deployment: ResolvedDeployment, signal: AbortSignal): Promise<IamToken> {
  const form = new URLSearchParams({ grant_type: 'urn:ibm:params:oauth:grant-type:apikey', apikey: deployment.apiKey ?? '' });
  const response = await postUpstream({
    url: iamUrl(deployment),
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: form.toString(),
    deployment,
    signal,
    stream: false,
    toError: (status, text) => iamError(status, text),
  });
  const body = parseUpstreamJson<IbmIamTokenResponse>(await readText(response, signal), 'IBM Cloud IAM');
  if (!body.access_token) throw new SwitchboardError('upstream_error', 'IBM Cloud IAM returned no access_token');
  const expiresAt = body.expiration ? body.expiration * 1000 : Date.now() + (body.expires_in ?? 3600) * 1000;
  return { token: body.access_token, expiresAt };
}

/** IAM answers a key it does not know with 400 (`BXNIM0415E`): for the caller that is an authentication failure. */
function iamError(status: number, bodyText: string): SwitchboardError {
  let body: IbmIamErrorBody = {};
  try {
    body = JSON.parse(bodyText) as IbmIamErrorBody;
  } catch {
    // not JSON
  }
  const message = `IBM Cloud IAM token exchange failed${body.errorMessage ? `: ${body.errorMessage}` : ''}`;
  return upstreamError({ provider: 'watsonx', status: status === 400 ? 401 : status, message, providerCode: body.errorCode });
}
