/**
 * One deployment as a worker receives it: the `litellm_params` of a `model_list` entry.
 * Credentials may still be `os.environ/NAME` references: the worker resolves them from its own
 * environment, so provider secrets need only be present where the provider's worker runs.
 */
export interface DeploymentParams {
  /** `<provider>/<upstream model>`, e.g. `openai/gpt-4o`. */
  model: string;
  api_base?: string;
  api_key?: string;
  api_version?: string;
  /** Total timeout in seconds. */
  timeout?: number | string;
  /** Time to first token in seconds. */
  stream_timeout?: number | string;
  [param: string]: unknown;
}

/** A deployment with its provider and upstream model split out and its references resolved. */
export interface ResolvedDeployment {
  id: string;
  provider: string;
  upstreamModel: string;
  apiBase?: string;
  apiKey?: string;
  apiVersion?: string;
  timeoutMs: number;
  streamTimeoutMs?: number;
  /** Every other param (aws_*, vertex_*, extra headers ...), references resolved. */
  params: Readonly<Record<string, unknown>>;
}
