import { createInbox, headers as createHeaders } from '@nats-io/transport-node';
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import type { ResponsesRequest } from '@switchboard/api-responses';
import { apiHeaders, apiSubjects, subjectNamespace } from '@switchboard/contracts';
import type { ChatRequest, EmbeddingRequest } from '@switchboard/spec';

export interface NatsClientOptions {
  apiKey: string;
  /** Switchboard's subject prefix (`SWITCHBOARD_SUBJECT_PREFIX`, default `sb`). */
  prefix?: string;
  /** Milliseconds to wait for a (first) reply. */
  timeoutMs?: number;
}

/** Per-call options, as the `openai` client's second argument. */
export interface NatsRequestOptions {
  /**
   * Extra NATS headers for this call, e.g. W3C `traceparent` / `tracestate` so Switchboard's spans
   * join the caller's trace. `authorization` always comes from the client's `apiKey`.
   */
  headers?: Record<string, string>;
}

/** An error answered over NATS: the OpenAI error JSON, with the HTTP-equivalent status. */
export class SwitchboardNatsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    readonly type: string,
    message: string,
    readonly requestId: string | undefined,
  ) {
    super(`${status} ${message}`);
    this.name = 'SwitchboardNatsError';
  }
}

type Json = Record<string, unknown>;

/**
 * Switchboard over NATS, with the `openai` client's call shapes:
 * `chat.completions.create(params)` (a response, or an async iterable of chunks with `stream: true`),
 * `responses.create(params)` (a response object, or an async iterable of Responses streaming events
 * with `stream: true`), `embeddings.create(params)`, `models.list()`, each with optional per-call
 * options (`{ headers }`). Breaking out of a stream cancels the upstream call.
 */
export class SwitchboardNatsClient {
  private readonly subjects;

  constructor(
    private readonly connection: NatsConnection,
    private readonly options: NatsClientOptions,
  ) {
    const namespace = subjectNamespace(options.prefix ?? 'sb');
    this.subjects = {
      chat: apiSubjects.chatCompletions(namespace),
      embeddings: apiSubjects.embeddings(namespace),
      responses: apiSubjects.responses(namespace),
      models: apiSubjects.models(namespace),
      cancel: apiSubjects.cancel(namespace),
    };
  }

  readonly chat = {
    completions: {
      create: ((params: ChatRequest, options?: NatsRequestOptions) =>
        params.stream ? this.stream(this.subjects.chat, params, options) : this.request(this.subjects.chat, params, options)) as {
        (params: ChatRequest & { stream: true }, options?: NatsRequestOptions): Promise<AsyncIterable<Json>>;
        (params: ChatRequest & { stream?: false | null }, options?: NatsRequestOptions): Promise<Json>;
      },
    },
  };

  /** As `openai`'s `responses.create`: the response object carries the `output_text` convenience too. */
  readonly responses = {
    create: ((params: ResponsesRequest, options?: NatsRequestOptions) =>
      params.stream ? this.stream(this.subjects.responses, params, options) : this.request(this.subjects.responses, params, options).then(withOutputText)) as {
      (params: ResponsesRequest & { stream: true }, options?: NatsRequestOptions): Promise<AsyncIterable<Json>>;
      (params: ResponsesRequest & { stream?: false | null }, options?: NatsRequestOptions): Promise<Json>;
    },
  };

  readonly embeddings = { create: (params: EmbeddingRequest, options?: NatsRequestOptions) => this.request(this.subjects.embeddings, params, options) };

  readonly models = { list: (options?: NatsRequestOptions) => this.request(this.subjects.models, {}, options) };

  private headers(options: NatsRequestOptions | undefined) {
    const headers = createHeaders();
    for (const [name, value] of Object.entries(options?.headers ?? {})) {
      if (name.toLowerCase() !== apiHeaders.authorization) headers.set(name, value);
    }
    headers.set(apiHeaders.authorization, `Bearer ${this.options.apiKey}`);
    return headers;
  }

  private async request(subject: string, body: unknown, options: NatsRequestOptions | undefined): Promise<Json> {
    const inbox = createInbox();
    const subscription = this.connection.subscribe(inbox);
    const timeoutMs = this.options.timeoutMs ?? 600_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      this.connection.publish(subject, JSON.stringify(body), { reply: inbox, headers: this.headers(options) });
      const first = await Promise.race([
        wholeMessages(subscription[Symbol.asyncIterator]()).next(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new SwitchboardNatsError(504, 'timeout', 'timeout_error', `No reply within ${timeoutMs} ms`, undefined)), timeoutMs);
        }),
      ]);
      if (first.done) throw new SwitchboardNatsError(503, 'no_reply', 'server_error', 'No reply from Switchboard', undefined);
      if (first.value.message.headers?.code === 503 && !first.value.message.headers.get(apiHeaders.status)) {
        throw new SwitchboardNatsError(503, 'no_responders', 'server_error', 'No Switchboard instance serves the NATS API', undefined);
      }
      return this.decode(first.value);
    } finally {
      clearTimeout(timer);
      subscription.unsubscribe();
    }
  }

  private decode({ message, data }: WholeMessage): Json {
    const status = Number(message.headers?.get(apiHeaders.status) || 200);
    const body = data.length > 0 ? (JSON.parse(new TextDecoder().decode(data)) as Json) : {};
    if (status >= 400 || message.headers?.get(apiHeaders.stream) === 'error') {
      const error = (body.error ?? {}) as { message?: string; type?: string; code?: string | null };
      throw new SwitchboardNatsError(status, error.code ?? null, error.type ?? 'error', error.message ?? 'error', message.headers?.get(apiHeaders.requestId) || undefined);
    }
    return body;
  }

  private async stream(subject: string, params: unknown, options: NatsRequestOptions | undefined): Promise<AsyncIterable<Json>> {
    const inbox = createInbox();
    const subscription = this.connection.subscribe(inbox);
    this.connection.publish(subject, JSON.stringify(params), { reply: inbox, headers: this.headers(options) });
    const iterator = wholeMessages(subscription[Symbol.asyncIterator]());
    // The first message settles whether the call was accepted: errors before output are thrown here.
    const first = await iterator.next();
    if (first.done) throw new SwitchboardNatsError(503, 'no_reply', 'server_error', 'No reply from Switchboard', undefined);
    const firstMessage = first.value;
    if (firstMessage.message.headers?.code === 503 && !firstMessage.message.headers.get(apiHeaders.status)) {
      subscription.unsubscribe();
      throw new SwitchboardNatsError(503, 'no_responders', 'server_error', 'No Switchboard instance serves the NATS API', undefined);
    }
    if (Number(firstMessage.message.headers?.get(apiHeaders.status) || 200) >= 400) {
      subscription.unsubscribe();
      this.decode(firstMessage);
    }
    const decode = (message: WholeMessage) => this.decode(message);
    const cancel = () => this.connection.publish(this.subjects.cancel, JSON.stringify({ reply: inbox }));
    const connection = this.connection;
    async function* chunks(): AsyncGenerator<Json> {
      let finished = false;
      try {
        let message: WholeMessage | undefined = firstMessage;
        while (message) {
          if (message.message.headers?.get(apiHeaders.stream) === 'end') {
            finished = true;
            return;
          }
          const decoded = decode(message);
          yield decoded;
          const next: IteratorResult<WholeMessage> = await iterator.next();
          message = next.done ? undefined : next.value;
        }
      } catch (error) {
        finished = true;
        throw error;
      } finally {
        if (!finished && !connection.isClosed()) cancel();
        subscription.unsubscribe();
      }
    }
    return chunks();
  }
}

/** `output_text`: the text of every `output_text` part of the message items, joined (as `openai` adds it). */
function withOutputText(response: Json): Json {
  const output = Array.isArray(response.output) ? (response.output as Array<{ type?: string; content?: Array<{ type?: string; text?: string }> }>) : [];
  const texts = output.filter((item) => item.type === 'message').flatMap((item) => (item.content ?? []).filter((part) => part.type === 'output_text').map((part) => part.text ?? ''));
  return { ...response, output_text: texts.join('') };
}

interface WholeMessage {
  message: Msg;
  data: Uint8Array;
}

/**
 * The reply messages as whole messages: a message too large for one NATS message arrives in pieces
 * (`sb-continued` on all but the last, docs/nats-api.md), joined here.
 */
async function* wholeMessages(messages: AsyncIterator<Msg>): AsyncGenerator<WholeMessage> {
  let pieces: Uint8Array[] = [];
  for (;;) {
    const next = await messages.next();
    if (next.done) return;
    const message = next.value;
    if (message.headers?.get(apiHeaders.continued)) {
      pieces.push(message.data);
      continue;
    }
    if (pieces.length === 0) {
      yield { message, data: message.data };
      continue;
    }
    const data = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, message.data.length));
    let offset = 0;
    for (const piece of [...pieces, message.data]) {
      data.set(piece, offset);
      offset += piece.length;
    }
    pieces = [];
    yield { message, data };
  }
}
