import type { z } from 'zod';
import { SwitchboardError, quoteInput } from '@switchboard/spec';
import type { ChatRequest, EmbeddingRequest } from '@switchboard/spec';
import { chatRequestSchema, embeddingRequestSchema } from './chat-request.schema';

/** Validates a body; the first problem becomes a 400 whose `param` names the field (`messages[0].role`). */
function parseWith<T>(schema: z.ZodType, body: unknown): T {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new SwitchboardError('invalid_request', 'The request body must be a JSON object');
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data as T;
  const issue = result.error.issues[0];
  const param = formatParam(issue.path);
  const reason = issue.code === 'invalid_union' || issue.code === 'invalid_value' ? describeInvalid(issue) : issue.message;
  throw new SwitchboardError('invalid_request', `Invalid value for '${quoteInput(param)}': ${quoteInput(reason, 300)}`, { param });
}

/**
 * Fields that would let a client choose where a call goes or with which credentials
 * (LiteLLM accepted several of these; each became an SSRF or key-exfiltration report).
 * Routing and credentials come from the deployment config only.
 */
const clientOverrideFields = [
  'api_base',
  'base_url',
  'api_key',
  'api_version',
  'custom_llm_provider',
  'extra_headers',
  'organization',
  'aws_access_key_id',
  'aws_secret_access_key',
  'aws_session_token',
  'aws_region_name',
  'vertex_credentials',
  'vertex_project',
  'vertex_location',
];

function refuseClientOverrides(body: Record<string, unknown>): void {
  for (const field of clientOverrideFields) {
    if (body[field] !== undefined) {
      throw new SwitchboardError('invalid_request', `'${field}' cannot be set by the client; it comes from the deployment configuration`, {
        param: field,
      });
    }
  }
}

export function parseChatRequest(body: unknown): ChatRequest {
  const request = parseWith<ChatRequest>(chatRequestSchema, body);
  refuseClientOverrides(request);
  return request;
}

export function parseEmbeddingRequest(body: unknown): EmbeddingRequest {
  const request = parseWith<EmbeddingRequest>(embeddingRequestSchema, body);
  refuseClientOverrides(request);
  return request;
}

function formatParam(path: ReadonlyArray<PropertyKey>): string {
  let result = '';
  for (const segment of path) {
    if (typeof segment === 'number') result += `[${segment}]`;
    else result += result ? `.${String(segment)}` : String(segment);
  }
  return result || 'body';
}

function describeInvalid(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value') return `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
  return issue.message;
}
