import type { ResponseBuilder } from '@switchboard/api-responses';
import type { ChatResult, StreamPart, SwitchboardError, Usage } from '@switchboard/spec';
import type { AnswerEncoder, EncodedAnswer, StreamEvent } from '../lifecycle/answer-encoder';

/** Stores the conversation state of a turn (ResponsesService.save, bound to what answered). */
export type SaveResponse = (builder: ResponseBuilder, status: string) => Promise<void>;

/**
 * OpenAI Responses: a `response` object, or Responses streaming events (`event:` = its type). The
 * turn is stored before the final event or body is sent, so `previous_response_id` works the
 * moment the client sees the id, on any instance and over either edge.
 */
export class ResponsesEncoder implements AnswerEncoder {
  constructor(
    private readonly builder: ResponseBuilder,
    private readonly save: SaveResponse,
  ) {}

  get usage(): Usage | undefined {
    return this.builder.usage;
  }

  async complete(result: ChatResult): Promise<EncodedAnswer> {
    this.builder.absorb(result);
    const status = this.builder.status();
    await this.save(this.builder, status);
    return { body: this.builder.response(status), usage: result.usage, upstreamLatencyMs: result.upstreamLatencyMs };
  }

  open(): StreamEvent[] {
    return events(this.builder.start());
  }

  parts(parts: readonly StreamPart[]): StreamEvent[] {
    return events(this.builder.encode(parts));
  }

  async finish(): Promise<StreamEvent[]> {
    const closing = this.builder.finish();
    // A session that cannot be stored still answers; the id just cannot be chained.
    await this.save(this.builder, this.builder.status()).catch(() => undefined);
    return events(closing);
  }

  /** `response.failed` is the stream's last event, as OpenAI sends it. */
  fail(error: SwitchboardError): StreamEvent[] {
    return events(this.builder.failed(error.toPayload()));
  }

  inBandError(): undefined {
    return undefined;
  }
}

function events(list: ReadonlyArray<{ type: string }>): StreamEvent[] {
  return list.map((event) => ({ event: event.type, data: event }));
}
