import type { StreamPart, Usage } from '@switchboard/spec';
import type { SseEvent } from '@switchboard/provider-utils';
import type { AnthropicStreamEvent, AnthropicUsage } from './anthropic-api-schemas';
import { anthropicStreamError } from './anthropic-error';
import { convertAnthropicUsage } from './convert-anthropic-usage';
import { jsonToolName } from './convert-to-anthropic-request';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason';

/**
 * Anthropic SSE events into stream parts. Holds the per-stream state: which content block index is
 * which tool call, the usage so far (input at message_start, output at message_delta).
 * Reused by Bedrock and Vertex for Claude.
 */
export class AnthropicStreamTransformer {
  private readonly toolCalls = new Map<number, number>();
  private usage: AnthropicUsage = {};
  private done = false;

  constructor(private readonly jsonMode = false) {}

  get isDone(): boolean {
    return this.done;
  }

  transform(event: SseEvent): StreamPart[] {
    let data: AnthropicStreamEvent;
    try {
      data = JSON.parse(event.data) as AnthropicStreamEvent;
    } catch {
      return [];
    }
    return this.handle(data);
  }

  handle(event: AnthropicStreamEvent): StreamPart[] {
    switch (event.type) {
      case 'message_start':
        this.usage = { ...event.message.usage };
        return [{ type: 'response-metadata', id: event.message.id, model: event.message.model, created: Math.floor(Date.now() / 1000) }];
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type === 'tool_use') {
          if (this.jsonMode && block.name === jsonToolName) return [];
          const toolCallIndex = this.toolCalls.size;
          this.toolCalls.set(event.index, toolCallIndex);
          return [{ type: 'tool-call-delta', index: 0, toolCallIndex, id: block.id, name: block.name, argumentsDelta: '' }];
        }
        if (block.type === 'text' && block.text) return [{ type: 'text-delta', index: 0, delta: block.text }];
        return [];
      }
      case 'content_block_delta': {
        const delta = event.delta;
        switch (delta.type) {
          case 'text_delta':
            return delta.text ? [{ type: 'text-delta', index: 0, delta: delta.text }] : [];
          case 'thinking_delta':
            return [{ type: 'reasoning-delta', index: 0, delta: delta.thinking }];
          case 'signature_delta':
            return [{ type: 'reasoning-delta', index: 0, delta: '', signature: delta.signature }];
          case 'input_json_delta': {
            const toolCallIndex = this.toolCalls.get(event.index);
            if (toolCallIndex === undefined) return this.jsonMode && delta.partial_json ? [{ type: 'text-delta', index: 0, delta: delta.partial_json }] : [];
            return [{ type: 'tool-call-delta', index: 0, toolCallIndex, argumentsDelta: delta.partial_json }];
          }
        }
        return [];
      }
      case 'message_delta': {
        if (event.usage) this.usage = { ...this.usage, ...event.usage };
        const parts: StreamPart[] = [];
        if (event.delta.stop_reason) {
          const reason = this.jsonMode && event.delta.stop_reason === 'tool_use' ? { unified: 'stop' as const, raw: 'tool_use' } : mapAnthropicFinishReason(event.delta.stop_reason);
          parts.push({ type: 'finish', index: 0, finishReason: reason });
        }
        return parts;
      }
      case 'message_stop':
        this.done = true;
        return [{ type: 'usage', usage: this.currentUsage() }];
      case 'error':
        throw anthropicStreamError(event.error.type, event.error.message);
      case 'content_block_stop':
      case 'ping':
        return [];
    }
  }

  currentUsage(): Usage {
    return convertAnthropicUsage(this.usage);
  }
}
