import { headers as createHeaders } from '@nats-io/transport-node';
import type { Msg, MsgHdrs } from '@nats-io/transport-node';
import { messageHeaders } from '@switchboard/contracts';
import type { ReplyFrameKind } from '@switchboard/contracts';
import { SwitchboardError } from '@switchboard/spec';
import type { ChatResult, EmbeddingResult, ErrorPayload, StreamPart } from '@switchboard/spec';
import { decodeJson, encodeJson } from './json-codec';

/** A decoded frame from a worker's reply. */
export type ReplyFrame =
  | { kind: 'parts'; parts: StreamPart[] }
  | { kind: 'result'; result: ChatResult | EmbeddingResult }
  | { kind: 'error'; error: SwitchboardError }
  | { kind: 'end' };

export function frameHeaders(kind: ReplyFrameKind, requestId: string): MsgHdrs {
  const headers = createHeaders();
  headers.set(messageHeaders.frameKind, kind);
  headers.set(messageHeaders.requestId, requestId);
  return headers;
}

export function errorFrameHeaders(requestId: string, error: ErrorPayload): MsgHdrs {
  const headers = frameHeaders('error', requestId);
  headers.set(messageHeaders.errorCode, error.code);
  headers.set(messageHeaders.errorStatus, String(error.status));
  return headers;
}

const noWorkerMessage = 'No worker is serving this provider right now';

/** Rebuilds a reply message into a typed frame; NATS status messages become typed errors. */
export function decodeReplyFrame(message: Msg): ReplyFrame {
  const headers = message.headers;
  const kind = headers?.get(messageHeaders.frameKind) as ReplyFrameKind | '' | undefined;
  if (!kind) {
    if (headers && headers.code === 503) {
      return {
        kind: 'error',
        error: new SwitchboardError('no_worker', noWorkerMessage, { retryAfterSeconds: 1 }),
      };
    }
    return { kind: 'error', error: new SwitchboardError('internal', 'Malformed reply from worker') };
  }
  switch (kind) {
    case 'parts':
      return { kind, parts: decodeJson<StreamPart[]>(message.data) };
    case 'result':
      return { kind, result: decodeJson<ChatResult | EmbeddingResult>(message.data) };
    case 'error':
      return { kind, error: SwitchboardError.fromPayload(decodeJson<ErrorPayload>(message.data)) };
    case 'end':
      return { kind };
    default: {
      const unknownKind: never = kind;
      return { kind: 'error', error: new SwitchboardError('internal', `Unknown reply frame ${String(unknownKind)}`) };
    }
  }
}

export function encodeFramePayload(value: unknown): Uint8Array {
  return encodeJson(value);
}
