import { buildUsage } from '@switchboard/provider-utils';
import type { StreamPart, Usage } from '@switchboard/spec';
import type { BedrockStreamEvent, BedrockUsage } from './bedrock-api-schemas';
import type { DecodedEvent } from '../aws/aws-event-stream';
import { bedrockError } from './bedrock-error';
import { mapBedrockFinishReason } from './map-bedrock-finish-reason';

/** Bedrock reports input without cache reads / writes; the input total adds them (as for Anthropic). */
export function convertBedrockUsage(usage: BedrockUsage | undefined): Usage {
  const cacheRead = usage?.cacheReadInputTokens ?? 0;
  const cacheWrite = usage?.cacheWriteInputTokens ?? 0;
  return buildUsage({ inputTotal: (usage?.inputTokens ?? 0) + cacheRead + cacheWrite, cacheRead, cacheWrite, outputTotal: usage?.outputTokens ?? 0, raw: usage });
}

/** ConverseStream events (messageStart, contentBlockStart/Delta/Stop, messageStop, metadata, exceptions) into parts. */
export class BedrockStreamTransformer {
  private readonly toolCalls = new Map<number, number>();

  constructor(
    private readonly requestId: string,
    private readonly model: string,
  ) {}

  transform(event: DecodedEvent): StreamPart[] {
    if (event.messageType === 'exception') throw bedrockError(undefined, event.exceptionType, event.payload);
    const data = JSON.parse(event.payload || '{}') as BedrockStreamEvent;
    switch (event.eventType) {
      case 'messageStart':
        return [{ type: 'response-metadata', id: `chatcmpl-${this.requestId}`, model: this.model, created: Math.floor(Date.now() / 1000) }];
      case 'contentBlockStart': {
        const toolUse = data.start?.toolUse;
        if (!toolUse) return [];
        const toolCallIndex = this.toolCalls.size;
        this.toolCalls.set(data.contentBlockIndex ?? 0, toolCallIndex);
        return [{ type: 'tool-call-delta', index: 0, toolCallIndex, id: toolUse.toolUseId, name: toolUse.name, argumentsDelta: '' }];
      }
      case 'contentBlockDelta': {
        const delta = data.delta ?? {};
        if (delta.text) return [{ type: 'text-delta', index: 0, delta: delta.text }];
        if (delta.reasoningContent) return [{ type: 'reasoning-delta', index: 0, delta: delta.reasoningContent.text ?? '', signature: delta.reasoningContent.signature }];
        if (delta.toolUse) {
          const toolCallIndex = this.toolCalls.get(data.contentBlockIndex ?? 0) ?? 0;
          return [{ type: 'tool-call-delta', index: 0, toolCallIndex, argumentsDelta: delta.toolUse.input ?? '' }];
        }
        return [];
      }
      case 'messageStop':
        return [{ type: 'finish', index: 0, finishReason: mapBedrockFinishReason(data.stopReason) }];
      case 'metadata':
        return [{ type: 'usage', usage: convertBedrockUsage(data.usage) }];
      default:
        return [];
    }
  }
}
