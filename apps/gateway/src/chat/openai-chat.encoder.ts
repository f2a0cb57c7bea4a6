import { ChatChunkEncoder, encodeChatCompletion, openAiErrorBody } from '@switchboard/api-openai';
import type { ChatResult, StreamPart, SwitchboardError, Usage } from '@switchboard/spec';
import type { AnswerEncoder, EncodedAnswer, StreamEvent } from '../lifecycle/answer-encoder';

/** Chat Completions: a `chat.completion`, or `chat.completion.chunk` events ending with `[DONE]` on SSE. */
export class OpenAiChatEncoder implements AnswerEncoder {
  readonly doneMarker = '[DONE]';
  private readonly chunks: ChatChunkEncoder;

  constructor(requestId: string, requestModel: string, includeUsage: boolean) {
    this.chunks = new ChatChunkEncoder({ fallbackId: `chatcmpl-${requestId}`, fallbackModel: requestModel, includeUsage });
  }

  get usage(): Usage | undefined {
    return this.chunks.receivedUsage;
  }

  complete(result: ChatResult): EncodedAnswer {
    return { body: encodeChatCompletion(result), usage: result.usage, upstreamLatencyMs: result.upstreamLatencyMs };
  }

  open(): StreamEvent[] {
    return [];
  }

  parts(parts: readonly StreamPart[]): StreamEvent[] {
    return this.chunks.chunks(parts).map((data) => ({ data }));
  }

  /** With `include_usage`, the last chunk (`choices: []`) carries the usage. */
  finish(): StreamEvent[] {
    const usage = this.chunks.usageChunk();
    return usage ? [{ data: usage }] : [];
  }

  fail(): StreamEvent[] {
    return [];
  }

  /** OpenAI's SDK throws on a `data: {"error":...}` event. */
  inBandError(error: SwitchboardError): StreamEvent {
    return { data: openAiErrorBody(error.toPayload()) };
  }
}
