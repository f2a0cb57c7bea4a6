import type { z } from 'zod';
import { SwitchboardError } from '@switchboard/spec';
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
  throw new SwitchboardError('invalid_request', `Invalid value for '${param}': ${reason}`, { param });
}

export function parseChatRequest(body: unknown): ChatRequest {
  return parseWith<ChatRequest>(chatRequestSchema, body);
}

export function parseEmbeddingRequest(body: unknown): EmbeddingRequest {
  return parseWith<EmbeddingRequest>(embeddingRequestSchema, body);
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
