import type { ReplyFrame } from '@switchboard/messaging';
import { SwitchboardError } from '@switchboard/spec';
import type { ChatResult, EmbeddingResult, StreamPart, Usage } from '@switchboard/spec';
import type { StartedReply } from '../chat/chat-attempt.service';
import type { TimingContext } from '../chat/routing-headers';
import { routingHeaders } from '../chat/routing-headers';
import type { AnswerEncoder } from './answer-encoder';
import type { AnswerSink } from './answer-sink';

/** What the answer took, for metrics and settlement. */
export interface DeliveryOutcome {
  firstByteAt?: number;
  /** The upstream's share of the time, from the worker: the rest is Switchboard's own overhead. */
  upstreamLatencyMs?: number;
  usage?: Usage;
  /** The answer failed after output (in-band), or the client was cut. */
  error?: SwitchboardError;
  /** Every frame, when a hook asked for them. */
  frames?: ReplyFrame[];
  /** Characters of text, reasoning and tool arguments delivered: what a lost worker's usage is estimated from. */
  deliveredCharacters?: number;
}

export interface PumpOptions {
  /** Bytes of the answer allowed to wait for a client that stopped reading before it is cut. */
  bufferLimitBytes: number;
  recordFrames: boolean;
}

/**
 * Moves a started answer from the worker to the client through the API's encoder and the edge's
 * sink. Streams respect the sink's backpressure: while the client does not read, frames wait in
 * the reply channel, and past `bufferLimitBytes` the client is cut and the upstream call cancelled
 * (its partial usage is billed once, by the worker's cancel path).
 */
export async function deliverAnswer(started: StartedReply, encoder: AnswerEncoder, sink: AnswerSink, context: TimingContext, stream: boolean, options: PumpOptions): Promise<DeliveryOutcome> {
  const frames = options.recordFrames ? [...started.buffered] : undefined;
  if (!stream) {
    started.dispatch.finish();
    const frame = started.buffered[started.buffered.length - 1];
    if (frame?.kind !== 'result') throw new SwitchboardError('internal', 'The worker sent no result');
    const result = frame.result as ChatResult | EmbeddingResult;
    const answer = await encoder.complete(result);
    const upstreamLatencyMs = answer.upstreamLatencyMs;
    sink.body(answer.body, { ...routingHeaders(context, upstreamLatencyMs, answer.usage), ...encoder.headers });
    return { upstreamLatencyMs, usage: answer.usage, frames };
  }
  const upstreamLatencyMs = upstreamLatencyOf(started.buffered);
  sink.open({ ...routingHeaders(context, upstreamLatencyMs), ...encoder.headers });
  const outcome: DeliveryOutcome = { firstByteAt: Date.now(), upstreamLatencyMs, frames };
  const pending = [...started.buffered];
  try {
    const opening = encoder.open();
    if (opening.length) sink.write(opening);
    for (;;) {
      const buffered = pending.shift();
      const frame = buffered ?? (await started.dispatch.next());
      if (!buffered) frames?.push(frame);
      if (frame.kind !== 'parts') {
        outcome.usage = encoder.usage;
        if (frame.kind === 'end' || frame.kind === 'result') {
          sink.end(await encoder.finish(), encoder.doneMarker);
        } else {
          outcome.error = frame.error;
          if (!sink.closed) sink.fail(encoder.fail(frame.error), encoder.inBandError(frame.error), frame.error);
        }
        return outcome;
      }
      outcome.deliveredCharacters = (outcome.deliveredCharacters ?? 0) + deliveredCharactersOf(frame.parts);
      const events = encoder.parts(frame.parts);
      if (events.length === 0 || sink.write(events)) continue;
      if (!(await drainedInTime(sink, started, options.bufferLimitBytes))) {
        outcome.usage = encoder.usage;
        outcome.error = new SwitchboardError('cancelled', `The client stopped reading: more than ${options.bufferLimitBytes} bytes of the answer waited for it`);
        sink.abort();
        started.dispatch.cancel();
        return outcome;
      }
    }
  } finally {
    started.dispatch.finish();
  }
}

function deliveredCharactersOf(parts: readonly StreamPart[]): number {
  let characters = 0;
  for (const part of parts) {
    if (part.type === 'text-delta' || part.type === 'reasoning-delta') characters += part.delta.length;
    else if (part.type === 'tool-call-delta') characters += part.argumentsDelta.length;
  }
  return characters;
}

/** How long a client whose unread answer passed the bound may take to read again before it is cut. */
const stallGraceMs = 1_000;
/** A client that keeps reading, but slower than the upstream writes, is cut at this many times the bound. */
const hardLimitFactor = 4;

/**
 * Waits for the sink to take more. False when the client stopped reading: the unread answer passed
 * the bound and the client did not read again within a second, or it passed four times the bound
 * (a reader slower than the upstream cannot grow the gateway's memory without limit).
 */
async function drainedInTime(sink: AnswerSink, started: StartedReply, limit: number): Promise<boolean> {
  const drained = sink.drained().then(() => true);
  const overflow = started.dispatch.whenQueuedOver(limit);
  try {
    if (await Promise.race([drained, overflow.reached.then(() => false)])) return true;
  } finally {
    overflow.cancel();
  }
  const hardLimit = started.dispatch.whenQueuedOver(limit * hardLimitFactor);
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), stallGraceMs);
  });
  try {
    return await Promise.race([drained, stalled, hardLimit.reached.then(() => false)]);
  } finally {
    clearTimeout(timer);
    hardLimit.cancel();
  }
}

/** The upstream's share of the time to the first output, as the worker measured it. */
function upstreamLatencyOf(buffered: readonly ReplyFrame[]): number | undefined {
  for (const frame of buffered) {
    if (frame.kind !== 'parts') continue;
    for (const part of frame.parts) if (part.type === 'response-metadata' && part.upstreamLatencyMs !== undefined) return part.upstreamLatencyMs;
  }
  return undefined;
}
