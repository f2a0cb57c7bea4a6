import { headers as createHeaders } from '@nats-io/transport-node';
import type { Msg, MsgHdrs } from '@nats-io/transport-node';
import { openAiErrorBody, replyHeaders } from '@switchboard/contracts';
import type { OpenAiErrorBody, StreamMarker } from '@switchboard/contracts';
import { SwitchboardError } from '@switchboard/spec';
import type { ChatResult, EmbeddingResult, ErrorCode, ErrorPayload, StreamPart } from '@switchboard/spec';
import { decodeJson, encodeJson } from './json-codec';

/**
 * A decoded reply message. Every subject answers in one format (docs/ARCHITECTURE.md D1): a single
 * answer (`result`), or stream messages (`parts`, the worker's coalesced stream parts) ending with
 * `end`, or an `error` at any point.
 */
export type ReplyFrame =
  | { kind: 'parts'; parts: StreamPart[] }
  | { kind: 'result'; result: ChatResult | EmbeddingResult }
  | { kind: 'error'; error: SwitchboardError }
  | { kind: 'end' };

export function replyMessageHeaders(requestId: string, status: number, stream?: StreamMarker): MsgHdrs {
  const headers = createHeaders();
  headers.set(replyHeaders.requestId, requestId);
  headers.set(replyHeaders.status, String(status));
  if (stream) headers.set(replyHeaders.stream, stream);
  return headers;
}

/** Headers and payload of an error reply: OpenAI error JSON, the machine-readable rest in headers. */
export function errorReplyMessage(requestId: string, error: ErrorPayload, inStream: boolean): { headers: MsgHdrs; payload: Uint8Array } {
  const headers = replyMessageHeaders(requestId, error.status, inStream ? 'error' : undefined);
  headers.set(replyHeaders.errorCode, error.code);
  headers.set(replyHeaders.retryable, error.retryable ? 'true' : 'false');
  if (error.retryAfterSeconds !== undefined) headers.set(replyHeaders.retryAfter, String(error.retryAfterSeconds));
  if (error.providerCode) headers.set(replyHeaders.providerCode, error.providerCode);
  return { headers, payload: encodeJson(openAiErrorBody(error)) };
}

const noWorkerMessage = 'No worker is serving this subject right now';

/** Rebuilds a reply message into a typed frame; NATS status messages ("no responders") become typed errors. */
export function decodeReplyFrame(message: Msg, data: Uint8Array = message.data): ReplyFrame {
  const headers = message.headers;
  const status = headers?.get(replyHeaders.status);
  if (!status) {
    if (headers && headers.code === 503) {
      return { kind: 'error', error: new SwitchboardError('no_worker', noWorkerMessage, { retryAfterSeconds: 1 }) };
    }
    return { kind: 'error', error: new SwitchboardError('internal', 'Malformed reply on the bus') };
  }
  const stream = headers?.get(replyHeaders.stream) as StreamMarker | '' | undefined;
  try {
    if (stream === 'error' || Number(status) >= 400) return { kind: 'error', error: decodeError(message, data) };
    if (stream === 'chunk') return { kind: 'parts', parts: decodeJson<StreamPart[]>(data) };
    if (stream === 'end') return { kind: 'end' };
    return { kind: 'result', result: decodeJson<ChatResult | EmbeddingResult>(data) };
  } catch {
    return { kind: 'error', error: new SwitchboardError('internal', 'Malformed reply on the bus') };
  }
}

function decodeError(message: Msg, data: Uint8Array): SwitchboardError {
  const headers = message.headers;
  const code = (headers?.get(replyHeaders.errorCode) || 'internal') as ErrorCode;
  const retryAfter = Number(headers?.get(replyHeaders.retryAfter));
  const body = decodeJson<Partial<OpenAiErrorBody>>(data);
  return new SwitchboardError(code, body.error?.message ?? 'Error', {
    status: Number(headers?.get(replyHeaders.status)) || undefined,
    param: body.error?.param ?? null,
    retryable: headers?.get(replyHeaders.retryable) ? headers.get(replyHeaders.retryable) === 'true' : undefined,
    retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    providerCode: headers?.get(replyHeaders.providerCode) || undefined,
  });
}
