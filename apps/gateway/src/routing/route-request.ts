import type { IncomingHttpHeaders } from 'node:http';
import type { RouteRequest } from '@switchboard/router';
import { SwitchboardError } from '@switchboard/spec';
import type { ChatMessage } from '@switchboard/spec';

/** LiteLLM's routing fields in the body: read by the gateway, never sent upstream. */
export const routingBodyFields = ['num_retries', 'fallbacks', 'disable_fallbacks', 'mock_testing_fallbacks', 'tags', 'timeout', 'cache', 'caching'];

export interface RequestTimeouts {
  timeoutMs?: number;
  streamTimeoutMs?: number;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function nonNegativeInteger(value: unknown, param: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 0) {
    throw new SwitchboardError('invalid_request', `'${param}' must be a non-negative integer`, { param });
  }
  return number;
}

function positiveSeconds(value: unknown, param: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number <= 0) {
    throw new SwitchboardError('invalid_request', `'${param}' must be a positive number of seconds`, { param });
  }
  return Math.round(number * 1000);
}

function tagsFrom(body: Record<string, unknown>, headers: IncomingHttpHeaders): string[] {
  const fromHeader = header(headers, 'x-litellm-tags')?.split(',').map((tag) => tag.trim()).filter(Boolean) ?? [];
  const metadata = body.metadata as Record<string, unknown> | null | undefined;
  const fromBody = Array.isArray(body.tags) ? body.tags : Array.isArray(metadata?.tags) ? metadata.tags : [];
  return [...fromHeader, ...fromBody.map(String)];
}

/** Rough prompt size (four characters a token) for the context-window pre-check: cheap, never blocks. */
export function estimatePromptTokens(messages: readonly ChatMessage[]): number {
  let characters = 0;
  for (const message of messages) {
    const content = message.content;
    if (typeof content === 'string') characters += content.length;
    else if (Array.isArray(content)) for (const part of content) characters += 'text' in part && typeof part.text === 'string' ? part.text.length : 0;
  }
  return Math.ceil(characters / 4) + messages.length * 4;
}

/**
 * One entry of a request's `fallbacks`: LiteLLM takes a model name, or an object naming the `model`
 * with request fields that replace the client's for that fallback (`{"model": "b", "messages": [...]}`).
 */
export interface RequestFallback {
  model: string;
  overrides: Record<string, unknown>;
}

/** Fields a fallback entry may not replace: routing (no nested fallbacks) and the answer's shape. */
const fixedFallbackFields = new Set([...routingBodyFields, 'stream', 'stream_options', 'stream_timeout']);

/** The request's `fallbacks`, in either form; anything else is a 400 naming the entry. */
export function requestFallbacks(value: unknown): RequestFallback[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new SwitchboardError('invalid_request', "'fallbacks' must be a list of model names or {\"model\": ...} objects", { param: 'fallbacks' });
  return value.map((item: unknown, index) => {
    if (typeof item === 'string' && item !== '') return { model: item, overrides: {} };
    if (item && typeof item === 'object' && !Array.isArray(item) && typeof (item as { model?: unknown }).model === 'string' && (item as { model: string }).model !== '') {
      const { model, ...overrides } = item as Record<string, unknown> & { model: string };
      for (const field of Object.keys(overrides)) {
        if (fixedFallbackFields.has(field)) {
          throw new SwitchboardError('invalid_request', `'fallbacks[${index}].${field}' cannot be set per fallback`, { param: `fallbacks[${index}].${field}` });
        }
      }
      return { model, overrides };
    }
    throw new SwitchboardError('invalid_request', `'fallbacks[${index}]' must be a model name or an object with a 'model' field`, { param: `fallbacks[${index}]` });
  });
}

/**
 * The request each model group of a call gets: the client's own, or for a fallback entry with
 * fields of its own, the client's body with those fields replaced, validated by the edge's parser
 * now (a bad entry is a 400 before anything is routed).
 */
export function requestsByModelGroup<T>(body: Record<string, unknown>, base: T, parse: (body: Record<string, unknown>) => T): (modelGroup: string) => T {
  const byGroup = new Map<string, T>();
  (requestFallbacks(body.fallbacks) ?? []).forEach((fallback, index) => {
    if (Object.keys(fallback.overrides).length === 0 || byGroup.has(fallback.model)) return;
    try {
      byGroup.set(fallback.model, parse({ ...body, ...fallback.overrides, model: fallback.model }));
    } catch (error) {
      if (!(error instanceof SwitchboardError)) throw error;
      const param = `fallbacks[${index}]${error.param ? `.${error.param}` : ''}`;
      throw new SwitchboardError(error.code, `fallbacks[${index}]: ${error.message}`, { status: error.status, param });
    }
  });
  if (byGroup.size === 0) return () => base;
  return (modelGroup) => byGroup.get(modelGroup) ?? base;
}

/** The routing request of a call: the model group plus LiteLLM's per-request routing fields and headers. */
export function routeRequestFor(model: string, body: Record<string, unknown>, headers: IncomingHttpHeaders, messages?: readonly ChatMessage[]): RouteRequest {
  return {
    modelGroup: model,
    tags: tagsFrom(body, headers),
    numRetries: nonNegativeInteger(header(headers, 'x-litellm-num-retries') ?? body.num_retries, 'num_retries'),
    fallbacks: requestFallbacks(body.fallbacks)?.map((fallback) => fallback.model),
    disableFallbacks: body.disable_fallbacks === true,
    mockTestingFallbacks: body.mock_testing_fallbacks === true,
    promptTokens: messages ? estimatePromptTokens(messages) : undefined,
  };
}

export function requestTimeouts(body: Record<string, unknown>, headers: IncomingHttpHeaders): RequestTimeouts {
  return {
    timeoutMs: positiveSeconds(header(headers, 'x-litellm-timeout') ?? body.timeout, 'timeout'),
    streamTimeoutMs: positiveSeconds(header(headers, 'x-litellm-stream-timeout') ?? body.stream_timeout, 'stream_timeout'),
  };
}

/** The request as the worker gets it: the routing fields removed. */
export function withoutRoutingFields<T extends Record<string, unknown>>(request: T): T {
  const copy: Record<string, unknown> = { ...request };
  for (const field of routingBodyFields) delete copy[field];
  delete copy.stream_timeout;
  return copy as T;
}
