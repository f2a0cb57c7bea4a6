import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import type { MsgHdrs, NatsConnection } from '@nats-io/transport-node';
import { ensureEventStream } from './jetstream';

/** Headers of a dead letter: where it came from and why it was parked. */
export const deadLetterHeader = {
  consumer: 'Sb-Dead-Letter-Consumer',
  reason: 'Sb-Dead-Letter-Reason',
  stream: 'Sb-Dead-Letter-Stream',
  streamSeq: 'Sb-Dead-Letter-Stream-Seq',
  subject: 'Sb-Dead-Letter-Subject',
  deliveries: 'Sb-Dead-Letter-Deliveries',
  /** The message's own id (its `Nats-Msg-Id`, the ledger's key), kept so a replay is deduplicated like the original. */
  messageId: 'Sb-Dead-Letter-Msg-Id',
} as const;

/**
 * Headers of a replayed dead letter (`tools/dead-letters.mjs replay`): it is republished on its original
 * subject for one consumer only (the others acknowledge it untouched), under its original message id.
 */
export const replayHeader = { for: 'Sb-Replay-For', of: 'Sb-Replay-Of' } as const;

/** How long a dead letter is kept, and how long its id deduplicates a second parking of the same message. */
const deadLetterMaxAgeMs = 30 * 24 * 3_600_000;
const deadLetterDuplicateWindowMs = 10 * 60_000;

export interface ServerFeatures {
  version: string;
  /**
   * `+TERM <reason>` is understood from nats-server 2.10; 2.9 does not recognise the acknowledgement at
   * all, so a `term(reason)` there is ignored and the message comes back after the ack wait, forever.
   */
  termWithReason: boolean;
}

/** What the server at the other end of a connection supports, from the version in its INFO. */
export function serverFeatures(version: string | undefined): ServerFeatures {
  const match = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  const [major, minor] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  return { version: version ?? 'unknown', termWithReason: major > 2 || (major === 2 && minor >= 10) };
}

/** Reads the version on every call: a reconnect may land on another server of a cluster being upgraded. */
export function connectionFeatures(connection: NatsConnection): ServerFeatures {
  return serverFeatures(connection.info?.version);
}

/** Stops redelivery of a message for good, with the reason where the server records it (2.10+ advisories). */
export function terminate(message: Pick<JsMsg, 'term'>, reason: string, features: ServerFeatures): void {
  if (features.termWithReason) message.term(reason.slice(0, 200));
  else message.term();
}

/** Creates the dead-letter stream (or aligns its settings): file storage, kept 30 days, never evicting a letter. */
export async function ensureDeadLetterStream(connection: NatsConnection, name: string, subject: string): Promise<void> {
  await ensureEventStream(connection, { name, subjects: [subject], duplicateWindowMs: deadLetterDuplicateWindowMs, maxAgeMs: deadLetterMaxAgeMs });
}

export interface DeadLetter {
  consumer: string;
  reason: string;
  stream: string;
  streamSeq: number;
  subject: string;
  deliveries: number;
  data: Uint8Array;
  /** The original message's headers; `Nats-*` ones are dropped (a `Nats-Msg-Id` would deduplicate in the wrong stream). */
  headers?: MsgHdrs;
}

/** The message id a consumer keys its work by: a replay's original id, else `Nats-Msg-Id`, else the stream position. */
export function originalMessageId(message: { headers?: MsgHdrs; info: { stream: string; streamSequence: number } }): string {
  return message.headers?.get(replayHeader.of) || message.headers?.get('Nats-Msg-Id') || `${message.info.stream}:${message.info.streamSequence}`;
}

/** True when the message is a replay meant for another consumer: acknowledge it without doing anything. */
export function replayedForAnother(headers: MsgHdrs | undefined, durable: string): boolean {
  const target = headers?.get(replayHeader.for);
  return Boolean(target) && target !== durable;
}

/** Publishes a dead letter; the id makes parking the same delivery twice (consumer and advisory) a no-op. */
export async function publishDeadLetter(connection: NatsConnection, deadLetterSubject: string, letter: DeadLetter): Promise<void> {
  const headers = natsHeaders();
  for (const [name, values] of letter.headers ?? []) {
    if (/^nats-/i.test(name) || /^sb-dead-letter-/i.test(name)) continue;
    for (const value of values) headers.append(name, value);
  }
  const messageId = letter.headers?.get(replayHeader.of) || letter.headers?.get('Nats-Msg-Id');
  headers.set(deadLetterHeader.consumer, letter.consumer);
  headers.set(deadLetterHeader.reason, oneLine(letter.reason));
  headers.set(deadLetterHeader.stream, letter.stream);
  headers.set(deadLetterHeader.streamSeq, String(letter.streamSeq));
  headers.set(deadLetterHeader.subject, letter.subject);
  headers.set(deadLetterHeader.deliveries, String(letter.deliveries));
  if (messageId) headers.set(deadLetterHeader.messageId, messageId);
  await jetstream(connection).publish(deadLetterSubject, letter.data, { headers, msgID: `dead:${letter.stream}:${letter.consumer}:${letter.streamSeq}` });
}

/**
 * Parks a message the consumer gives up on: the dead letter first, then `term` (so a message is never
 * stopped without being kept). False when the dead letter could not be written: the caller then lets the
 * message come back (nak) rather than lose it.
 */
export async function parkMessage(connection: NatsConnection, deadLetterSubject: string, consumer: string, message: JsMsg, reason: string): Promise<boolean> {
  try {
    await publishDeadLetter(connection, deadLetterSubject, {
      consumer,
      reason,
      stream: message.info.stream,
      streamSeq: message.info.streamSequence,
      subject: message.subject,
      deliveries: message.info.deliveryCount,
      data: message.data,
      headers: message.headers,
    });
  } catch {
    return false;
  }
  terminate(message, reason, connectionFeatures(connection));
  return true;
}

export interface MaxDeliveriesWatchOptions {
  stream: string;
  /** The durable consumers whose give-ups this process parks. */
  durables: readonly string[];
  deadLetterSubject: string;
  /** The last failure a consumer saw for a stream sequence, for the dead letter's reason. */
  lastFailure?(durable: string, streamSeq: number): string | undefined;
  onParked?(durable: string, streamSeq: number): void;
  onError?(error: unknown, durable: string, streamSeq: number): void;
}

interface MaxDeliveriesAdvisory {
  stream?: string;
  consumer?: string;
  stream_seq?: number;
  deliveries?: number;
}

const parkAttempts = 3;

/**
 * Parks the messages the server gave up on. When a message reaches `max_deliver` without an
 * acknowledgement (its last delivery timed out, the consumer crashed on it, or it was nak'd once more),
 * the server stops delivering it and publishes `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.<stream>.<durable>`;
 * the message itself stays in the stream, where no consumer would ever see it again. This reads it by
 * its stream sequence and writes the dead letter. The subscription is a queue group, so with several
 * instances of a service one of them parks each message (and the dead letter's id dedups the rest).
 * Advisories are core NATS: the watch must run before the consumer pulls (it does, in every service).
 */
export function watchMaxDeliveries(connection: NatsConnection, options: MaxDeliveriesWatchOptions): { stop(): void } {
  const subscriptions = options.durables.map((durable) =>
    connection.subscribe(`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${options.stream}.${durable}`, {
      queue: `${durable}-dead-letters`,
      callback: (error, message) => {
        if (error) return;
        let advisory: MaxDeliveriesAdvisory;
        try {
          advisory = message.json<MaxDeliveriesAdvisory>();
        } catch {
          return;
        }
        if (typeof advisory.stream_seq !== 'number') return;
        void parkBySequence(connection, options, durable, advisory.stream_seq, advisory.deliveries ?? 0);
      },
    }),
  );
  return { stop: () => subscriptions.forEach((subscription) => subscription.unsubscribe()) };
}

async function parkBySequence(connection: NatsConnection, options: MaxDeliveriesWatchOptions, durable: string, streamSeq: number, deliveries: number): Promise<void> {
  const last = options.lastFailure?.(durable, streamSeq);
  const reason = `max_deliver reached after ${deliveries} deliveries${last ? `; last failure: ${last}` : ''}`;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const stored = await (await jetstreamManager(connection)).streams.getMessage(options.stream, { seq: streamSeq });
      // Gone already (the stream's max_age passed): nothing is left to park.
      if (!stored) return;
      await publishDeadLetter(connection, options.deadLetterSubject, {
        consumer: durable,
        reason,
        stream: options.stream,
        streamSeq,
        subject: stored.subject,
        deliveries,
        data: stored.data,
        headers: stored.header,
      });
      options.onParked?.(durable, streamSeq);
      return;
    } catch (error) {
      if (attempt >= parkAttempts || connection.isClosed()) {
        // The event is still in its stream (until its max_age); the log names its sequence for a manual replay.
        options.onError?.(error, durable, streamSeq);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
    }
  }
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').slice(0, 1_000);
}
