import type { SseEvent } from '@switchboard/provider-utils';
import { SwitchboardError } from '@switchboard/spec';
import type { StreamPart } from '@switchboard/spec';
import { OpenAiCompatibleStreamTransformer } from '../openai-compatible/openai-compatible-stream-transformer';
import type { WatsonxChatResponse, WatsonxErrorBody } from './watsonx-api-schemas';
import { watsonxWarnings } from './convert-watsonx-response';
import { watsonxStreamError } from './watsonx-error';
import { mapWatsonxFinishReason } from './map-watsonx-finish-reason';

/**
 * watsonx `chat_stream` events (`event: message`, OpenAI chunks with `model_id`; `event: error`
 * with watsonx errors; no `[DONE]`, the body simply ends) normalised for the shared OpenAI
 * transformer: the model named from `model_id`, tool-call fragments without the empty `name`
 * later fragments carry, an id for a call whose first fragment has none, and finish reasons read
 * as watsonx means them. Conversion and service warnings follow the metadata part.
 */
export class WatsonxStreamTransformer {
  private readonly inner = new OpenAiCompatibleStreamTransformer('watsonx');
  private readonly startedToolCalls = new Set<number>();
  private pendingWarnings: string[];
  private metadataSent = false;
  private done = false;

  constructor(warnings: readonly string[]) {
    this.pendingWarnings = [...warnings];
  }

  get isDone(): boolean {
    return this.done || this.inner.isDone;
  }

  transform(event: SseEvent): StreamPart[] {
    if (event.event === 'close') {
      this.done = true;
      return [];
    }
    if (event.data === '[DONE]') return this.inner.transform(event);
    let chunk: WatsonxChatResponse & WatsonxErrorBody;
    try {
      chunk = JSON.parse(event.data) as WatsonxChatResponse & WatsonxErrorBody;
    } catch {
      throw new SwitchboardError('upstream_error', 'watsonx sent a malformed stream event');
    }
    if (event.event === 'error' || chunk.errors) throw watsonxStreamError(chunk);
    chunk.model ??= chunk.model_id;
    this.pendingWarnings.push(...watsonxWarnings(chunk));
    for (const choice of chunk.choices ?? []) {
      for (const call of choice.delta?.tool_calls ?? []) {
        const index = call.index ?? 0;
        if (call.function?.name === '') delete call.function.name;
        if (!this.startedToolCalls.has(index)) {
          this.startedToolCalls.add(index);
          call.id ??= `${chunk.id ?? 'watsonx'}-call-${index}`;
        }
      }
    }
    // The shared transformer reads SSE events; the normalised chunk is handed over re-serialised.
    const parts = this.inner.transform({ data: JSON.stringify(chunk) }).map((part): StreamPart => {
      if (part.type !== 'finish') return part;
      return { ...part, finishReason: mapWatsonxFinishReason(part.finishReason.raw, this.startedToolCalls.size > 0) };
    });
    return this.withWarnings(parts);
  }

  private withWarnings(parts: StreamPart[]): StreamPart[] {
    const metadataAt = parts.findIndex((part) => part.type === 'response-metadata');
    if (metadataAt >= 0) this.metadataSent = true;
    if (!this.metadataSent || !this.pendingWarnings.length) return parts;
    const warnings = this.pendingWarnings.splice(0).map((message): StreamPart => ({ type: 'warning', message }));
    parts.splice(metadataAt + 1, 0, ...warnings);
    return parts;
  }
}
