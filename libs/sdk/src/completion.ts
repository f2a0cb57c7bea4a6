import type { ChatCompletionChunkObject, ChatCompletionObject } from './direct-call';
import { Router } from './sdk-router';
import { splitOptions } from './sdk-options';
import type { CompletionOptions, EmbeddingOptions } from './sdk-options';

/**
 * LiteLLM's `completion()`: one call to `<provider>/<model>` with the credentials given inline
 * (or `os.environ/NAME`), answered in OpenAI's shape. `stream: true` returns an async iterable of chunks.
 */
export async function completion(options: CompletionOptions & { stream?: false | null }): Promise<ChatCompletionObject>;
export async function completion(options: CompletionOptions & { stream: true }): Promise<AsyncIterable<ChatCompletionChunkObject>>;
export async function completion(options: CompletionOptions): Promise<ChatCompletionObject | AsyncIterable<ChatCompletionChunkObject>> {
  const { request, params } = splitOptions(options);
  const router = new Router({ model_list: [{ model_name: request.model, litellm_params: { ...params, model: request.model } }] });
  return router.completion(request as never);
}

/** LiteLLM's `embedding()`, answered in OpenAI's embeddings shape. */
export async function embedding(options: EmbeddingOptions): Promise<Record<string, unknown>> {
  const { request, params } = splitOptions(options);
  const router = new Router({ model_list: [{ model_name: request.model, litellm_params: { ...params, model: request.model } }] });
  return router.embedding(request);
}
