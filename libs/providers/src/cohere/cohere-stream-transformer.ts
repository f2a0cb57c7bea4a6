import { upstreamError } from '@switchboard/provider-utils';
import type { SseEvent } from '@switchboard/provider-utils';
import { SwitchboardError } from '@switchboard/spec';
import type { StreamPart } from '@switchboard/spec';
import type { CohereStreamEvent } from './cohere-api-schemas';
import { convertCohereUsage } from './convert-cohere-usage';
import { mapCohereFinishReason } from './map-cohere-finish-reason';

/**
 * Turns Cohere v2 chat stream events into stream parts.
 * https://docs.cohere.com/docs/streaming and https://docs.cohere.com/docs/tool-use-streaming
 */
export class CohereStreamTransformer {
  private metadataSent = false;
  private done = false;
  private toolCallCount = 0;
  /** Content blocks by index: thinking blocks become reasoning, the rest text. */
  private readonly thinkingBlocks = new Set<number>();

  constructor(private readonly model: string) {}

  get isDone(): boolean {
    return this.done;
  }

  transform(event: SseEvent): StreamPart[] {
    if (event.data === '[DONE]') {
      this.done = true;
      return [];
    }
    let chunk: CohereStreamEvent;
    try {
      chunk = JSON.parse(event.data) as CohereStreamEvent;
    } catch {
      throw new SwitchboardError('upstream_error', 'cohere sent a malformed stream event');
    }
    const type = chunk.type ?? event.event;
    if (type === 'error' || (type === undefined && typeof chunk.message === 'string')) {
      throw upstreamError({ provider: 'cohere', status: 500, message: chunk.message ?? 'stream error' });
    }
    const parts: StreamPart[] = [];
    if (!this.metadataSent) {
      this.metadataSent = true;
      parts.push({ type: 'response-metadata', id: chunk.id, model: this.model, created: Math.floor(Date.now() / 1000) });
    }
    const message = chunk.delta?.message;
    switch (type) {
      case 'content-start':
        if (message?.content?.type === 'thinking') this.thinkingBlocks.add(chunk.index ?? 0);
        break;
      case 'content-delta': {
        const content = message?.content;
        if (content?.thinking || (this.thinkingBlocks.has(chunk.index ?? 0) && content?.text)) {
          parts.push({ type: 'reasoning-delta', index: 0, delta: content.thinking ?? content.text ?? '' });
        } else if (content?.text) {
          parts.push({ type: 'text-delta', index: 0, delta: content.text });
        }
        break;
      }
      case 'tool-plan-delta':
        if (message?.tool_plan) parts.push({ type: 'text-delta', index: 0, delta: message.tool_plan });
        break;
      case 'tool-call-start': {
        const call = message?.tool_calls;
        parts.push({
          type: 'tool-call-delta',
          index: 0,
          toolCallIndex: this.toolCallCount++,
          id: call?.id,
          name: call?.function?.name,
          argumentsDelta: call?.function?.arguments ?? '',
        });
        break;
      }
      case 'tool-call-delta': {
        const argumentsDelta = message?.tool_calls?.function?.arguments;
        if (argumentsDelta) {
          parts.push({ type: 'tool-call-delta', index: 0, toolCallIndex: Math.max(0, this.toolCallCount - 1), argumentsDelta });
        }
        break;
      }
      case 'message-end':
        this.done = true;
        parts.push({ type: 'finish', index: 0, finishReason: mapCohereFinishReason(chunk.delta?.finish_reason) });
        parts.push({ type: 'usage', usage: convertCohereUsage(chunk.delta?.usage) });
        break;
      default:
        // message-start, content-end, tool-call-end, citation-start/end, debug: nothing to emit.
        break;
    }
    return parts;
  }
}
