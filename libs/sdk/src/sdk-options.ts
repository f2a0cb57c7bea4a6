import type { ChatRequest, EmbeddingRequest } from '@switchboard/spec';

/** Credentials and endpoint of a direct call, LiteLLM's keyword names. */
export interface CallCredentials {
  api_key?: string;
  api_base?: string;
  api_version?: string;
  timeout?: number;
  stream_timeout?: number;
  [param: string]: unknown;
}

export type CompletionOptions = ChatRequest & CallCredentials;
export type EmbeddingOptions = EmbeddingRequest & CallCredentials;

/** Deployment params and the request itself, split from one LiteLLM-style options object. */
export const credentialFields = [
  'api_key',
  'api_base',
  'api_version',
  'timeout',
  'stream_timeout',
  'organization',
  'extra_headers',
  'aws_access_key_id',
  'aws_secret_access_key',
  'aws_session_token',
  'aws_region_name',
  'vertex_project',
  'vertex_location',
  'vertex_credentials',
];

export function splitOptions<T extends Record<string, unknown>>(options: T): { request: T; params: Record<string, unknown> } {
  const request: Record<string, unknown> = {};
  const params: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (credentialFields.includes(name)) params[name] = value;
    else request[name] = value;
  }
  return { request: request as T, params };
}
