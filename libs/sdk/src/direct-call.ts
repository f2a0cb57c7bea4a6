import { ChatChunkEncoder, encodeChatCompletion, encodeEmbeddingResponse } from '@switchboard/api-openai';
import type { ModelDeployment } from '@switchboard/config';
import { createProviderRegistry } from '@switchboard/providers';
import { networkError, resolveDeployment } from '@switchboard/provider-utils';
import type { AttemptOutcome } from '@switchboard/router';
import { SwitchboardError } from '@switchboard/spec';
import type { ChatRequest, EmbeddingRequest, ProviderAdapter, StreamPart } from '@switchboard/spec';

let registry: ReadonlyMap<string, ProviderAdapter> | undefined;

function adapterFor(provider: string): ProviderAdapter {
  registry ??= createProviderRegistry();
  const adapter = registry.get(provider);
  if (!adapter) throw new SwitchboardError('invalid_request', `Unknown provider '${provider}'`, { param: 'model' });
  return adapter;
}

export type ChatCompletionObject = Record<string, unknown>;
export type ChatCompletionChunkObject = Record<string, unknown>;

/** One direct call of a deployment, as the router's attempt: no NATS, the adapter in this process. */
export async function callChat(
  deployment: ModelDeployment,
  request: ChatRequest,
  environment: Readonly<Record<string, string | undefined>>,
  signal?: AbortSignal,
): Promise<AttemptOutcome<ChatCompletionObject | AsyncIterable<ChatCompletionChunkObject>>> {
  const controller = new AbortController();
  signal?.addEventListener('abort', () => controller.abort(new SwitchboardError('cancelled', 'aborted')), { once: true });
  try {
    const resolved = resolveDeployment(deployment.id, deployment.params, environment);
    const adapter = adapterFor(resolved.provider);
    const timer = setTimeout(() => controller.abort(new SwitchboardError('upstream_timeout', 'The call timed out')), resolved.timeoutMs);
    const options = { request, deployment: resolved, signal: controller.signal, requestId: `sdk-${Date.now().toString(36)}` };
    if (!request.stream) {
      try {
        return { ok: true, value: encodeChatCompletion(await adapter.chat(options)) };
      } finally {
        clearTimeout(timer);
      }
    }
    const parts = (await adapter.chatStream(options))[Symbol.asyncIterator]();
    // Read up to the first output so a failure before it can still be retried or fall back.
    const head: StreamPart[] = [];
    for (;;) {
      const next = await parts.next();
      if (next.done) break;
      if (next.value.type === 'error') {
        clearTimeout(timer);
        return { ok: false, error: SwitchboardError.fromPayload(next.value.error), outputStarted: false };
      }
      head.push(next.value);
      if (next.value.type !== 'response-metadata' && next.value.type !== 'warning') break;
    }
    const encoder = new ChatChunkEncoder({
      fallbackId: options.requestId,
      fallbackModel: request.model,
      includeUsage: request.stream_options?.include_usage === true,
    });
    return { ok: true, value: chunkStream(head, parts, encoder, () => clearTimeout(timer)) };
  } catch (error) {
    return { ok: false, error: networkError(error, controller.signal), outputStarted: false };
  }
}

async function* chunkStream(
  head: StreamPart[],
  rest: AsyncIterator<StreamPart>,
  encoder: ChatChunkEncoder,
  done: () => void,
): AsyncGenerator<ChatCompletionChunkObject> {
  try {
    for (const chunk of encoder.chunks(head)) yield chunk;
    for (;;) {
      const next = await rest.next();
      if (next.done) break;
      if (next.value.type === 'error') throw SwitchboardError.fromPayload(next.value.error);
      for (const chunk of encoder.chunks([next.value])) yield chunk;
    }
    const usage = encoder.usageChunk();
    if (usage) yield usage;
  } finally {
    done();
  }
}

export async function callEmbedding(
  deployment: ModelDeployment,
  request: EmbeddingRequest,
  environment: Readonly<Record<string, string | undefined>>,
): Promise<AttemptOutcome<Record<string, unknown>>> {
  const controller = new AbortController();
  try {
    const resolved = resolveDeployment(deployment.id, deployment.params, environment);
    const adapter = adapterFor(resolved.provider);
    if (!adapter.embed) throw new SwitchboardError('invalid_request', `Provider '${resolved.provider}' does not offer embeddings`);
    const result = await adapter.embed({ request, deployment: resolved, signal: controller.signal, requestId: 'sdk' });
    return { ok: true, value: encodeEmbeddingResponse(result, request.encoding_format) };
  } catch (error) {
    return { ok: false, error: networkError(error, controller.signal), outputStarted: false };
  }
}
