import { SwitchboardError } from '@switchboard/spec';
import type { ResolvedDeployment } from '@switchboard/spec';
import { awsCredentials, awsRegion, signAwsRequest } from '../aws/aws-sigv4';

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * A signed SageMaker Runtime call: `POST /endpoints/{EndpointName}/invocations` (InvokeEndpoint)
 * or `/invocations-response-stream` (InvokeEndpointWithResponseStream), SigV4 with service
 * `sagemaker` and the deployment's AWS keys. The model name is the endpoint name; `api_base`
 * replaces `https://runtime.sagemaker.{aws_region_name}.amazonaws.com`. `model_id` names an
 * inference component (`X-Amzn-SageMaker-Inference-Component`), as LiteLLM takes it.
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpointWithResponseStream.html
 */
export async function signedSagemakerRequest(
  deployment: ResolvedDeployment,
  stream: boolean,
  body: string,
): Promise<{ url: string; headers: Record<string, string> }> {
  const region = awsRegion(deployment);
  const endpoint = deployment.apiBase ?? (region ? `https://runtime.sagemaker.${region}.amazonaws.com` : undefined);
  if (!endpoint) {
    throw new SwitchboardError('invalid_request', `Deployment ${deployment.id} (${deployment.provider}) needs aws_region_name`, { status: 500, retryable: false });
  }
  const credentials = awsCredentials(deployment);
  if (!credentials) {
    throw new SwitchboardError('authentication', `Deployment ${deployment.id} (${deployment.provider}) has no aws_access_key_id / aws_secret_access_key`, {
      status: 500,
      retryable: false,
    });
  }
  const action = stream ? 'invocations-response-stream' : 'invocations';
  const url = new URL(`${endpoint.replace(/\/+$/, '')}/endpoints/${encodeURIComponent(deployment.upstreamModel)}/${action}`);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (!stream) headers.accept = 'application/json';
  const component = text(deployment.params.model_id);
  if (component) headers['x-amzn-sagemaker-inference-component'] = component;
  const signed = await signAwsRequest({ service: 'sagemaker', region: region ?? 'us-east-1', credentials, url, headers, body });
  return { url: url.toString(), headers: signed };
}
