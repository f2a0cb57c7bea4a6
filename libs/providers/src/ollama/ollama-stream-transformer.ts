import { upstreamError } from '@switchboard/provider-utils';
import type { StreamPart } from '@switchboard/spec';
import type { OllamaChatChunk } from './ollama-api-schemas';
import { convertOllamaToolCall, createdSeconds } from './convert-ollama-response';
import { convertOllamaUsage } from './convert-ollama-usage';
import { mapOllamaFinishReason } from './map-ollama-finish-reason';

/**
 * Turns `/api/chat` NDJSON lines into stream parts. Ollama sends each tool call whole (arguments
 * as an object), so one call is one `tool-call-delta`; the last line has `done: true` and the counts.
 */
export class OllamaStreamTransformer {
  private metadataSent = false;
  private done = false;
  private toolCallCount = 0;

  constructor(
    private readonly provider: string,
    private readonly id: string,
  ) {}

  get isDone(): boolean {
    return this.done;
  }

  transform(chunk: OllamaChatChunk): StreamPart[] {
    if (typeof chunk.error === 'string') {
      throw upstreamError({ provider: this.provider, status: 500, message: chunk.error });
    }
    const parts: StreamPart[] = [];
    if (!this.metadataSent) {
      this.metadataSent = true;
      parts.push({ type: 'response-metadata', id: this.id, model: chunk.model, created: createdSeconds(chunk.created_at) });
    }
    const message = chunk.message;
    if (message?.thinking) parts.push({ type: 'reasoning-delta', index: 0, delta: message.thinking });
    if (message?.content) parts.push({ type: 'text-delta', index: 0, delta: message.content });
    for (const call of message?.tool_calls ?? []) {
      const converted = convertOllamaToolCall(call);
      parts.push({
        type: 'tool-call-delta',
        index: 0,
        toolCallIndex: this.toolCallCount++,
        id: converted.id,
        name: converted.function.name,
        argumentsDelta: converted.function.arguments,
      });
    }
    if (chunk.done) {
      this.done = true;
      parts.push({ type: 'finish', index: 0, finishReason: mapOllamaFinishReason(chunk.done_reason, this.toolCallCount > 0) });
      parts.push({ type: 'usage', usage: convertOllamaUsage(chunk) });
    }
    return parts;
  }
}
