import { upstreamError } from '@switchboard/provider-utils';
import type { SseEvent } from '@switchboard/provider-utils';
import { SwitchboardError } from '@switchboard/spec';
import type { StreamPart } from '@switchboard/spec';
import { OpenAiCompatibleStreamTransformer } from '../openai-compatible/openai-compatible-stream-transformer';
import type { MistralCompletion, MistralErrorBody } from './mistral-api-schemas';
import { splitMistralContent } from './convert-mistral-response';
import { convertMistralUsage } from './convert-mistral-usage';
import { mapMistralFinishReason } from './map-mistral-finish-reason';

/**
 * Mistral chunks are OpenAI chunks with three differences, normalised here before the shared
 * OpenAI-compatible transformer reads them: content may be an array with `thinking` chunks,
 * tool calls arrive whole and without `index`, and finish reasons / usage have Mistral extras.
 */
export class MistralStreamTransformer {
  private readonly inner = new OpenAiCompatibleStreamTransformer('mistral');
  private readonly toolCallIndexes = new Map<string, number>();
  private lastToolCallIndex = -1;

  get isDone(): boolean {
    return this.inner.isDone;
  }

  transform(event: SseEvent): StreamPart[] {
    if (event.data === '[DONE]') return this.inner.transform(event);
    let chunk: MistralCompletion & MistralErrorBody;
    try {
      chunk = JSON.parse(event.data) as MistralCompletion & MistralErrorBody;
    } catch {
      throw new SwitchboardError('upstream_error', 'mistral sent a malformed stream event');
    }
    if (chunk.object === 'error' || (chunk.choices === undefined && chunk.message !== undefined)) {
      const message = typeof chunk.message === 'string' ? chunk.message : JSON.stringify(chunk.message ?? chunk.detail ?? 'stream error');
      throw upstreamError({ provider: 'mistral', status: 500, message, providerCode: chunk.type });
    }
    for (const choice of chunk.choices ?? []) {
      const delta = choice.delta;
      if (!delta) continue;
      if (Array.isArray(delta.content)) {
        const { text, reasoning } = splitMistralContent(delta.content);
        delta.content = text || null;
        if (reasoning) delta.reasoning_content = reasoning;
      }
      for (const call of delta.tool_calls ?? []) call.index ??= this.toolCallIndexFor(call.id);
    }
    // The shared transformer reads SSE events; the normalised chunk is handed over re-serialised.
    const parts = this.inner.transform({ event: event.event, data: JSON.stringify(chunk) });
    return parts.map((part) => {
      if (part.type === 'finish') return { ...part, finishReason: mapMistralFinishReason(part.finishReason.raw) };
      if (part.type === 'usage') return { type: 'usage', usage: convertMistralUsage(chunk.usage) };
      return part;
    });
  }

  /** A new id is a new call; a fragment without id continues the last one. */
  private toolCallIndexFor(id: string | undefined): number {
    if (id === undefined) return Math.max(0, this.lastToolCallIndex);
    let index = this.toolCallIndexes.get(id);
    if (index === undefined) {
      index = this.toolCallIndexes.size;
      this.toolCallIndexes.set(id, index);
    }
    this.lastToolCallIndex = index;
    return index;
  }
}
