import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { ResolvedDeployment } from '@switchboard/spec';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `aws_region_name` of the deployment (LiteLLM's name), if set. */
export function awsRegion(deployment: ResolvedDeployment): string | undefined {
  return text(deployment.params.aws_region_name);
}

/**
 * The deployment's AWS keys (`aws_access_key_id`, `aws_secret_access_key`, optional
 * `aws_session_token`), or undefined when either key is missing. Keys come from the deployment
 * only: an adapter never reads the process environment.
 */
export function awsCredentials(deployment: ResolvedDeployment): AwsCredentials | undefined {
  const accessKeyId = text(deployment.params.aws_access_key_id);
  const secretAccessKey = text(deployment.params.aws_secret_access_key);
  if (!accessKeyId || !secretAccessKey) return undefined;
  return { accessKeyId, secretAccessKey, sessionToken: text(deployment.params.aws_session_token) };
}

export interface AwsSigningRequest {
  /** The SigV4 service name: `bedrock`, `sagemaker`. */
  service: string;
  region: string;
  credentials: AwsCredentials;
  url: URL;
  /** Headers to send and sign; `host` is added. */
  headers: Record<string, string>;
  body: string;
}

/**
 * Signs a POST with Signature Version 4 and returns the headers to send (`authorization`,
 * `x-amz-date`, `x-amz-content-sha256`, `x-amz-security-token` with a session token). The secret
 * key only enters the signature: it is never in a header, URL or error.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html
 */
export async function signAwsRequest(request: AwsSigningRequest): Promise<Record<string, string>> {
  const { url } = request;
  const signer = new SignatureV4({ service: request.service, region: request.region, credentials: request.credentials, sha256: Sha256 });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      headers: { ...request.headers, host: url.host },
      body: request.body,
    }),
  );
  return signed.headers as Record<string, string>;
}
