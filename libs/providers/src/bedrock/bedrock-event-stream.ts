import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

export interface DecodedEvent {
  eventType?: string;
  messageType?: string;
  exceptionType?: string;
  payload: string;
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/**
 * Splits AWS event-stream bytes into messages by their 4-byte total-length prelude and decodes
 * each (`application/vnd.amazon.eventstream`). Yields as soon as a whole message is buffered.
 */
export async function* readEventStream(body: AsyncIterable<Uint8Array>): AsyncGenerator<DecodedEvent> {
  let buffer = new Uint8Array(0);
  for await (const chunk of body) {
    const merged = new Uint8Array(buffer.length + chunk.length);
    merged.set(buffer);
    merged.set(chunk, buffer.length);
    buffer = merged;
    while (buffer.length >= 4) {
      const total = new DataView(buffer.buffer, buffer.byteOffset, 4).getUint32(0);
      if (buffer.length < total) break;
      const message = codec.decode(buffer.subarray(0, total));
      buffer = buffer.subarray(total);
      const header = (name: string) => {
        const value = message.headers[name]?.value;
        return typeof value === 'string' ? value : undefined;
      };
      yield { eventType: header(':event-type'), messageType: header(':message-type'), exceptionType: header(':exception-type'), payload: toUtf8(message.body) };
    }
  }
}

/** Encodes one event-stream message (tests and fakes use it to speak Bedrock's streaming format). */
export function encodeEvent(eventType: string, payload: unknown, messageType: 'event' | 'exception' = 'event'): Uint8Array {
  const headers: Record<string, { type: 'string'; value: string }> = {
    ':message-type': { type: 'string', value: messageType },
    ':content-type': { type: 'string', value: 'application/json' },
  };
  headers[messageType === 'event' ? ':event-type' : ':exception-type'] = { type: 'string', value: eventType };
  return codec.encode({ headers, body: fromUtf8(JSON.stringify(payload)) });
}
