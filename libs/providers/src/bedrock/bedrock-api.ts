import { SwitchboardError } from '@switchboard/spec';
import type { ResolvedDeployment } from '@switchboard/spec';
import { awsCredentials, awsRegion, signAwsRequest } from '../aws/aws-sigv4';

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `converse/` in the model name is LiteLLM's marker for the Converse route; the model id follows it. */
export function bedrockModelId(upstreamModel: string): string {
  return upstreamModel.startsWith('converse/') ? upstreamModel.slice('converse/'.length) : upstreamModel;
}

/**
 * A signed Bedrock Runtime request: SigV4 (service `bedrock`) with the deployment's AWS keys, or a
 * Bedrock API key as a bearer token. `api_base` / `aws_bedrock_runtime_endpoint` replace the endpoint.
 */
export async function signedBedrockRequest(deployment: ResolvedDeployment, path: string, body: string): Promise<{ url: string; headers: Record<string, string> }> {
  const region = awsRegion(deployment);
  const endpoint = deployment.apiBase ?? text(deployment.params.aws_bedrock_runtime_endpoint) ?? (region ? `https://bedrock-runtime.${region}.amazonaws.com` : undefined);
  if (!endpoint) throw new SwitchboardError('invalid_request', `Deployment ${deployment.id} (bedrock) needs aws_region_name`, { status: 500, retryable: false });
  const url = new URL(`${endpoint.replace(/\/+$/, '')}${path}`);
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  const credentials = awsCredentials(deployment);
  if (!credentials) {
    if (!deployment.apiKey) throw new SwitchboardError('authentication', `Deployment ${deployment.id} (bedrock) has no AWS credentials or API key`, { status: 500, retryable: false });
    return { url: url.toString(), headers: { ...headers, host: url.host, authorization: `Bearer ${deployment.apiKey}` } };
  }
  const signed = await signAwsRequest({ service: 'bedrock', region: region ?? 'us-east-1', credentials, url, headers, body });
  return { url: url.toString(), headers: signed };
}
