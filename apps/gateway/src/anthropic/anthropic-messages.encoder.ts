import { MessageStreamEncoder, encodeMessage } from '@switchboard/api-anthropic';
import type { ChatResult, StreamPart, SwitchboardError, Usage } from '@switchboard/spec';
import type { AnswerEncoder, EncodedAnswer, StreamEvent } from '../lifecycle/answer-encoder';

/** Anthropic Messages: a `message`, or Anthropic's SSE events (each with its `event:` line). */
export class AnthropicMessagesEncoder implements AnswerEncoder {
  readonly headers: Record<string, string>;
  private readonly stream: MessageStreamEncoder;

  constructor(
    private readonly requestId: string,
    private readonly messageId: string,
    private readonly model: string,
  ) {
    this.stream = new MessageStreamEncoder(messageId, model);
    this.headers = { 'request-id': requestId };
  }

  get usage(): Usage | undefined {
    return this.stream.receivedUsage;
  }

  complete(result: ChatResult): EncodedAnswer {
    return { body: encodeMessage(result, this.model, this.messageId), usage: result.usage, upstreamLatencyMs: result.upstreamLatencyMs };
  }

  open(): StreamEvent[] {
    return [];
  }

  parts(parts: readonly StreamPart[]): StreamEvent[] {
    return this.stream.events(parts);
  }

  finish(): StreamEvent[] {
    return this.stream.closingEvents();
  }

  fail(): StreamEvent[] {
    return [];
  }

  /** Anthropic's `event: error`, which its SDK throws. */
  inBandError(error: SwitchboardError): StreamEvent {
    return this.stream.errorEvent(error.toPayload(), this.requestId);
  }
}
