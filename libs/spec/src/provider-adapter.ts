import type { ChatRequest } from './chat-request';
import type { ChatResult } from './chat-result';
import type { ResolvedDeployment } from './deployment';
import type { EmbeddingRequest, EmbeddingResult } from './embedding';
import type { StreamPart } from './stream-part';

export interface ProviderCallOptions<Request> {
  request: Request;
  deployment: ResolvedDeployment;
  /** Aborted when the client goes away or a timeout fires: the adapter must close the upstream socket. */
  signal: AbortSignal;
  requestId: string;
}

/**
 * What every provider implements. Pure translation plus HTTP: no Nest, no NATS, no database.
 * - `chat` resolves with the whole answer or rejects with a SwitchboardError.
 * - `chatStream` rejects (before any output) when the upstream refuses the call; once it resolves,
 *   the iterable yields parts, and a failure after the first part is yielded as an `error` part.
 */
export interface ProviderAdapter {
  readonly provider: string;
  chat(options: ProviderCallOptions<ChatRequest>): Promise<ChatResult>;
  chatStream(options: ProviderCallOptions<ChatRequest>): Promise<AsyncIterable<StreamPart>>;
  embed?(options: ProviderCallOptions<EmbeddingRequest>): Promise<EmbeddingResult>;
}
