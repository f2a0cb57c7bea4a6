import { SwitchboardError } from '@switchboard/spec';
import type { ResolvedDeployment } from '@switchboard/spec';

/** The Dallas region; `api_base` picks another (e.g. https://eu-de.ml.cloud.ibm.com). */
export const watsonxDefaultBaseUrl = 'https://us-south.ml.cloud.ibm.com';
/** The API version date every call carries; `api_version` replaces it. */
export const watsonxDefaultVersion = '2024-05-31';

export type WatsonxOperation = 'chat' | 'chat_stream' | 'embeddings';

/** A model deployed in a deployment space is named `deployment/<id>` (as in LiteLLM). */
export function watsonxDeploymentId(upstreamModel: string): string | undefined {
  return upstreamModel.startsWith('deployment/') ? upstreamModel.slice('deployment/'.length) : undefined;
}

/**
 * The URL of one call: /ml/v1/text/{chat,chat_stream,embeddings}?version=..., or a deployment's
 * /ml/v1/deployments/{id}/text/{chat,chat_stream} (https://cloud.ibm.com/apidocs/watsonx-ai).
 */
export function watsonxUrl(deployment: ResolvedDeployment, operation: WatsonxOperation): string {
  const base = (deployment.apiBase ?? watsonxDefaultBaseUrl).replace(/\/+$/, '');
  const version = encodeURIComponent(deployment.apiVersion ?? watsonxDefaultVersion);
  const deploymentId = operation === 'embeddings' ? undefined : watsonxDeploymentId(deployment.upstreamModel);
  const path = deploymentId ? `/ml/v1/deployments/${encodeURIComponent(deploymentId)}/text/${operation}` : `/ml/v1/text/${operation}`;
  return `${base}${path}?version=${version}`;
}

/**
 * The model and the project or space a foundation-model call runs in: `watsonx_project_id` /
 * `project_id` or `watsonx_space_id` / `space_id` from the deployment. Deployed models take none.
 */
export function watsonxModelScope(deployment: ResolvedDeployment): Record<string, string> {
  if (watsonxDeploymentId(deployment.upstreamModel)) return {};
  const { params } = deployment;
  const project = params.watsonx_project_id ?? params.project_id;
  const space = params.watsonx_space_id ?? params.space_id;
  if (typeof project === 'string' && project) return { model_id: deployment.upstreamModel, project_id: project };
  if (typeof space === 'string' && space) return { model_id: deployment.upstreamModel, space_id: space };
  throw new SwitchboardError('invalid_request', `Deployment ${deployment.id} (watsonx) needs watsonx_project_id or watsonx_space_id`, {
    status: 500,
    retryable: false,
  });
}
