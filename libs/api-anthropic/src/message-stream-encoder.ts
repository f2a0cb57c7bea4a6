import type { ErrorPayload, FinishReason, StreamPart, Usage } from '@switchboard/spec';
import { anthropicErrorBody, anthropicStopReason, anthropicUsage } from './anthropic-wire';

type BlockKind = 'text' | 'thinking' | 'tool_use';

/** One Anthropic SSE event: its `event:` name and its data (whose `type` repeats the name). */
export interface AnthropicStreamEvent {
  event: string;
  data: Record<string, unknown>;
}

function frame(event: string, data: Record<string, unknown>): AnthropicStreamEvent[] {
  return [{ event, data: { type: event, ...data } }];
}

/** Events as Server-Sent Events, each with its `event:` line. */
export function toAnthropicSse(events: readonly AnthropicStreamEvent[]): string {
  return events.map((event) => `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`).join('');
}

/**
 * Stream parts as Anthropic SSE: every frame has its `event:` line (the Anthropic SDK ignores
 * frames without one). Content blocks open and close as the part type changes; a tool call is one
 * `tool_use` block whose arguments arrive as `input_json_delta`.
 * https://docs.claude.com/en/docs/build-with-claude/streaming
 */
export class MessageStreamEncoder {
  private started = false;
  private blockIndex = -1;
  private openBlock: { kind: BlockKind; toolCallIndex?: number; signature?: string } | undefined;
  private finishReason: FinishReason | undefined;
  private usage: Usage | undefined;
  private model: string;

  constructor(
    private readonly messageId: string,
    requestModel: string,
  ) {
    this.model = requestModel;
  }

  /** The usage received so far (for settling budget reservations). */
  get receivedUsage(): Usage | undefined {
    return this.usage;
  }

  /** SSE text of these parts' events (see `events`). */
  encode(parts: readonly StreamPart[]): string {
    return toAnthropicSse(this.events(parts));
  }

  events(parts: readonly StreamPart[]): AnthropicStreamEvent[] {
    const out: AnthropicStreamEvent[] = [];
    for (const part of parts) {
      switch (part.type) {
        case 'response-metadata':
          if (part.model) this.model = part.model;
          break;
        case 'text-delta':
          out.push(...this.ensureStarted(), ...this.ensureBlock('text'));
          out.push(...frame('content_block_delta', { index: this.blockIndex, delta: { type: 'text_delta', text: part.delta } }));
          break;
        case 'refusal-delta':
          out.push(...this.ensureStarted(), ...this.ensureBlock('text'));
          out.push(...frame('content_block_delta', { index: this.blockIndex, delta: { type: 'text_delta', text: part.delta } }));
          break;
        case 'reasoning-delta':
          out.push(...this.ensureStarted(), ...this.ensureBlock('thinking'));
          if (part.delta) out.push(...frame('content_block_delta', { index: this.blockIndex, delta: { type: 'thinking_delta', thinking: part.delta } }));
          if (part.signature && this.openBlock) this.openBlock.signature = part.signature;
          break;
        case 'tool-call-delta':
          out.push(...this.ensureStarted());
          if (this.openBlock?.kind !== 'tool_use' || this.openBlock.toolCallIndex !== part.toolCallIndex) {
            out.push(...this.closeBlock());
            this.blockIndex += 1;
            this.openBlock = { kind: 'tool_use', toolCallIndex: part.toolCallIndex };
            out.push(
              ...frame('content_block_start', {
                index: this.blockIndex,
                content_block: { type: 'tool_use', id: part.id ?? `toolu_${this.messageId}_${part.toolCallIndex}`, name: part.name ?? '', input: {} },
              }),
            );
          }
          if (part.argumentsDelta) {
            out.push(...frame('content_block_delta', { index: this.blockIndex, delta: { type: 'input_json_delta', partial_json: part.argumentsDelta } }));
          }
          break;
        case 'finish':
          this.finishReason = part.finishReason;
          break;
        case 'usage':
          this.usage = part.usage;
          break;
        case 'warning':
        case 'error':
          break;
      }
    }
    return out;
  }

  /** SSE text of the closing events (see `closingEvents`). */
  finish(): string {
    return toAnthropicSse(this.closingEvents());
  }

  /** The closing events: the open block's stop, `message_delta` with stop reason and usage, `message_stop`. */
  closingEvents(): AnthropicStreamEvent[] {
    return [
      ...this.ensureStarted(),
      ...this.closeBlock(),
      ...frame('message_delta', {
        delta: { stop_reason: anthropicStopReason(this.finishReason), stop_sequence: null },
        usage: anthropicUsage(this.usage),
      }),
      ...frame('message_stop', {}),
    ];
  }

  /** SSE text of the error event (see `errorEvent`). */
  error(payload: ErrorPayload, requestId: string): string {
    return toAnthropicSse([this.errorEvent(payload, requestId)]);
  }

  /** An error after the 200: Anthropic's `event: error`, which the SDK throws. */
  errorEvent(payload: ErrorPayload, requestId: string): AnthropicStreamEvent {
    return { event: 'error', data: anthropicErrorBody(payload, requestId) as unknown as Record<string, unknown> };
  }

  private ensureStarted(): AnthropicStreamEvent[] {
    if (this.started) return [];
    this.started = true;
    return frame('message_start', {
      message: {
        id: this.messageId,
        type: 'message',
        role: 'assistant',
        model: this.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 0, output_tokens: 0 },
      },
    });
  }

  private ensureBlock(kind: 'text' | 'thinking'): AnthropicStreamEvent[] {
    if (this.openBlock?.kind === kind) return [];
    const out = this.closeBlock();
    this.blockIndex += 1;
    this.openBlock = { kind };
    out.push(
      ...frame('content_block_start', {
        index: this.blockIndex,
        content_block: kind === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '' },
      }),
    );
    return out;
  }

  private closeBlock(): AnthropicStreamEvent[] {
    if (!this.openBlock) return [];
    const out: AnthropicStreamEvent[] = [];
    if (this.openBlock.kind === 'thinking' && this.openBlock.signature) {
      out.push(...frame('content_block_delta', { index: this.blockIndex, delta: { type: 'signature_delta', signature: this.openBlock.signature } }));
    }
    out.push(...frame('content_block_stop', { index: this.blockIndex }));
    this.openBlock = undefined;
    return out;
  }
}
