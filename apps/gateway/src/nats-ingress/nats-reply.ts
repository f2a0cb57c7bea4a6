import { headers as createHeaders } from '@nats-io/transport-node';
import type { MsgHdrs, NatsConnection } from '@nats-io/transport-node';
import { openAiErrorBody } from '@switchboard/api-openai';
import { apiHeaders } from '@switchboard/contracts';
import { encodeJson } from '@switchboard/messaging';
import type { SwitchboardError } from '@switchboard/spec';

type StreamMarker = 'chunk' | 'end' | 'error';

/**
 * The replies to one request on the public NATS API (docs/nats-api.md): a JSON body, or stream
 * chunks ending with an `end` or `error` marker; every message carries the request id and the
 * HTTP-equivalent status, errors the error code too.
 */
export class NatsReply {
  private firstStatus: number | undefined;

  constructor(
    private readonly connection: NatsConnection,
    private readonly inbox: string,
    readonly requestId: string,
  ) {}

  json(body: unknown): void {
    this.connection.publish(this.inbox, encodeJson(body), { headers: this.headers(200) });
  }

  /** One stream message; `probe` lets the server notice a caller that stopped listening. */
  chunk(body: unknown, probe?: string): void {
    this.connection.publish(this.inbox, encodeJson(body), { headers: this.headers(200, 'chunk'), reply: probe });
  }

  end(): void {
    this.connection.publish(this.inbox, new Uint8Array(0), { headers: this.headers(200, 'end') });
  }

  /** OpenAI error JSON; `inStream` marks an error after output (the stream's last message). */
  error(error: SwitchboardError, inStream = false): void {
    if (!this.inbox || this.connection.isClosed()) return;
    const headers = this.headers(error.status, inStream ? 'error' : undefined);
    headers.set(apiHeaders.errorCode, error.code);
    if (error.retryAfterSeconds !== undefined) headers.set(apiHeaders.retryAfter, String(error.retryAfterSeconds));
    this.connection.publish(this.inbox, encodeJson(openAiErrorBody(error.toPayload())), { headers });
  }

  /** The status of the first message sent, the one the caller reads as the answer's (undefined: nothing sent yet). */
  get status(): number | undefined {
    return this.firstStatus;
  }

  private headers(status: number, stream?: StreamMarker): MsgHdrs {
    this.firstStatus ??= status;
    const headers = createHeaders();
    headers.set(apiHeaders.requestId, this.requestId);
    headers.set(apiHeaders.status, String(status));
    if (stream) headers.set(apiHeaders.stream, stream);
    return headers;
  }
}
