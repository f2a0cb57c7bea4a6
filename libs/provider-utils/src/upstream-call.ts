import type { ResolvedDeployment, StreamPart, SwitchboardError } from '@switchboard/spec';
import { networkError, readText, sendUpstream } from './upstream-http';
import type { UpstreamResponse } from './upstream-http';

export interface UpstreamPost {
  url: string;
  headers: Record<string, string>;
  /** An object is sent as JSON; a string as it is (already serialised, e.g. for signing). */
  body: unknown;
  deployment: ResolvedDeployment;
  signal: AbortSignal;
  /** Streams wait `stream_timeout` for headers and between chunks; whole answers wait `timeout`. */
  stream: boolean;
  /** Maps an HTTP error answer to the provider's typed error. */
  toError: (status: number, bodyText: string, headers: UpstreamResponse['headers']) => SwitchboardError;
}

/** POSTs to an upstream with the deployment's timeouts; an HTTP error becomes the provider's typed error. */
export async function postUpstream(post: UpstreamPost): Promise<UpstreamResponse> {
  const { deployment } = post;
  const timeoutMs = post.stream ? (deployment.streamTimeoutMs ?? deployment.timeoutMs) : deployment.timeoutMs;
  const response = await sendUpstream({
    url: post.url,
    headers: post.headers,
    body: typeof post.body === 'string' ? post.body : JSON.stringify(post.body),
    signal: post.signal,
    headersTimeoutMs: timeoutMs,
    // For streams, stream_timeout also bounds the silence between two chunks.
    bodyTimeoutMs: timeoutMs,
  });
  if (response.status >= 400) throw post.toError(response.status, await readText(response, post.signal), response.headers);
  return response;
}

/**
 * The stream parts of an upstream stream: warnings first, then each event's parts, ending early
 * when `isDone` says so; a failure after the start is yielded as an `error` part, and the upstream
 * body is always released.
 */
export async function* streamParts<TEvent>(
  response: UpstreamResponse,
  events: AsyncIterable<TEvent>,
  transform: (event: TEvent) => StreamPart[],
  signal: AbortSignal,
  options: { warnings?: readonly string[]; isDone?: () => boolean; finish?: () => StreamPart[] } = {},
): AsyncGenerator<StreamPart> {
  for (const message of options.warnings ?? []) yield { type: 'warning', message };
  try {
    for await (const event of events) {
      for (const part of transform(event)) yield part;
      if (options.isDone?.()) break;
    }
    for (const part of options.finish?.() ?? []) yield part;
  } catch (error) {
    yield { type: 'error', error: networkError(error, signal).toPayload() };
  } finally {
    if (!response.body.destroyed) response.body.destroy();
  }
}
