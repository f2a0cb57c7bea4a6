import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

/** One message of an AWS event stream (`application/vnd.amazon.eventstream`), headers read. */
export interface DecodedEvent {
  eventType?: string;
  messageType?: string;
  exceptionType?: string;
  /** `:error-code` / `:error-message` of an `error` message (a failure of the stream itself). */
  errorCode?: string;
  errorMessage?: string;
  /** The message body as bytes: a SageMaker PayloadPart may end inside a multi-byte character. */
  bytes: Uint8Array;
  /** The message body as UTF-8 text (Bedrock's JSON events). */
  payload: string;
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/**
 * Splits AWS event-stream bytes into messages by their 4-byte total-length prelude and decodes
 * each (CRCs checked by the codec). Yields as soon as a whole message is buffered, whatever way
 * the network cut the bytes. https://docs.aws.amazon.com/transcribe/latest/dg/event-stream.html
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
      yield {
        eventType: header(':event-type'),
        messageType: header(':message-type'),
        exceptionType: header(':exception-type'),
        errorCode: header(':error-code'),
        errorMessage: header(':error-message'),
        bytes: message.body,
        payload: toUtf8(message.body),
      };
    }
  }
}

/** Encodes one event-stream message with a JSON body (tests and fakes use it to speak Bedrock's streaming format). */
export function encodeEvent(eventType: string, payload: unknown, messageType: 'event' | 'exception' = 'event'): Uint8Array {
  return encodeMessage(eventType, fromUtf8(JSON.stringify(payload)), 'application/json', messageType);
}

/**
 * Encodes one event-stream message whose body is raw bytes, as SageMaker's `PayloadPart` event
 * carries them (`:content-type: application/octet-stream`, the body is the container's bytes).
 */
export function encodeBinaryEvent(eventType: string, bytes: Uint8Array | string): Uint8Array {
  return encodeMessage(eventType, typeof bytes === 'string' ? fromUtf8(bytes) : bytes, 'application/octet-stream', 'event');
}

function encodeMessage(type: string, body: Uint8Array, contentType: string, messageType: 'event' | 'exception'): Uint8Array {
  const headers: Record<string, { type: 'string'; value: string }> = {
    ':message-type': { type: 'string', value: messageType },
    ':content-type': { type: 'string', value: contentType },
  };
  headers[messageType === 'event' ? ':event-type' : ':exception-type'] = { type: 'string', value: type };
  return codec.encode({ headers, body });
}
