import { Agent, errors as undiciErrors, request } from 'undici';
import type { Dispatcher } from 'undici';
import { SwitchboardError } from '@switchboard/spec';

/**
 * One keep-alive connection pool per process, shared by every adapter: undici keeps a pool per
 * origin inside the agent. Header and body timeouts are set per request from the deployment.
 */
const sharedAgent = new Agent({
  keepAliveTimeout: 30_000,
  keepAliveMaxTimeout: 120_000,
  connections: 512,
  pipelining: 1,
  connect: { timeout: 10_000 },
});

export interface UpstreamRequest {
  url: string;
  method?: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string | Uint8Array;
  signal: AbortSignal;
  /** Time allowed until response headers arrive. */
  headersTimeoutMs: number;
  /** Longest silence allowed while reading the body. */
  bodyTimeoutMs: number;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
}

/** Sends one request upstream; network failures become typed Switchboard errors. */
export async function sendUpstream(upstream: UpstreamRequest): Promise<UpstreamResponse> {
  try {
    const response = await request(upstream.url, {
      method: upstream.method ?? 'POST',
      headers: upstream.headers,
      body: upstream.body,
      signal: upstream.signal,
      dispatcher: sharedAgent,
      headersTimeout: upstream.headersTimeoutMs,
      bodyTimeout: upstream.bodyTimeoutMs,
    });
    return { status: response.statusCode, headers: response.headers, body: response.body };
  } catch (error) {
    throw networkError(error, upstream.signal);
  }
}

/** Maps an error thrown while sending or reading to a Switchboard error. */
export function networkError(error: unknown, signal?: AbortSignal): SwitchboardError {
  if (error instanceof SwitchboardError) return error;
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof SwitchboardError) return reason;
    return new SwitchboardError('cancelled', 'The request was cancelled', { cause: error });
  }
  if (
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError ||
    error instanceof undiciErrors.ConnectTimeoutError
  ) {
    return new SwitchboardError('upstream_timeout', 'The upstream provider did not answer in time', { cause: error });
  }
  return new SwitchboardError('upstream_unavailable', 'The upstream provider could not be reached', {
    cause: error,
    retryAfterSeconds: 1,
  });
}

/** Reads a whole response body as text. */
export async function readText(response: UpstreamResponse, signal?: AbortSignal): Promise<string> {
  try {
    return await response.body.text();
  } catch (error) {
    throw networkError(error, signal);
  }
}

export function headerValue(headers: UpstreamResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
