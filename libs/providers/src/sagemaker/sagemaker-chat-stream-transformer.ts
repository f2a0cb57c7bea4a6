import type { SseEvent } from '@switchboard/provider-utils';
import type { StreamPart } from '@switchboard/spec';
import { OpenAiCompatibleStreamTransformer } from '../openai-compatible/openai-compatible-stream-transformer';
import { convertSagemakerChatUsage } from './convert-sagemaker-usage';

/**
 * `sagemaker_chat` streams OpenAI chunks (SSE inside PayloadParts), read by the shared
 * OpenAI-compatible transformer. TGI leaves chunk ids empty (the request id is used then), and a
 * container that sends no usage chunk gets estimated usage, flagged, at the end.
 */
export class SagemakerChatStreamTransformer {
  private readonly chunks = new OpenAiCompatibleStreamTransformer('sagemaker_chat');
  private output = '';
  private usageSent = false;

  constructor(
    private readonly fallbackId: string,
    private readonly promptText: string,
  ) {}

  get isDone(): boolean {
    return this.chunks.isDone;
  }

  transform(event: SseEvent): StreamPart[] {
    return this.chunks.transform(event).map((part) => {
      if (part.type === 'response-metadata' && !part.id) return { ...part, id: this.fallbackId };
      if (part.type === 'text-delta') this.output += part.delta;
      if (part.type === 'usage') this.usageSent = true;
      return part;
    });
  }

  finish(): StreamPart[] {
    return this.usageSent ? [] : [{ type: 'usage', usage: convertSagemakerChatUsage(undefined, this.promptText, this.output) }];
  }
}
