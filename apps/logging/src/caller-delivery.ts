import type { CallerLogging, UsageEventV1 } from '@switchboard/contracts';
import { SwitchboardError } from '@switchboard/spec';
import type { CallbackDestination } from './callback-destination';
import type { CallerDestinationTarget, CallerResolution } from './caller-callbacks';
import { entryWants } from './caller-callbacks';

/** What delivery needs of a JetStream message: its stream sequence, ack and delayed nak. */
export interface HeldMessage {
  readonly seq: number;
  ack(): void;
  nak(delayMs: number): void;
}

export interface CallerDeliveryOptions {
  batchSize: number;
  /** Most events one destination that is down keeps for retry; newer ones are dropped for it until it recovers. */
  maxRetryingPerDestination: number;
  /** Destinations (lanes) remembered; idle ones are forgotten beyond this. */
  maxDestinations: number;
  resolve(entry: CallerLogging): CallerResolution;
  create(target: CallerDestinationTarget): CallbackDestination;
  warn(fields: Record<string, unknown>, message: string): void;
  /**
   * How long a destination rests after its n-th failure in a row: the per-caller consumer's backoff
   * (`retryDelayMs` of its policy), so a lane and JetStream's redelivery keep one schedule.
   */
  retryDelayMs(failures: number): number;
  now?: () => number;
}

type Outcome = 'delivered' | 'dropped' | { retryInMs: number };

interface Tracked {
  message: HeldMessage;
  /** Lanes that still have to answer for this message. */
  waiting: number;
  /** The longest retry delay a lane asked for; 0 when every lane is done with it. */
  retryInMs: number;
}

interface Item {
  tracked: Tracked;
  event: UsageEventV1;
}

const maxRemembered = 50_000;
const warnEveryMs = 60_000;

/**
 * Delivers usage events to the destinations their caller's key and team name (`caller.logging`).
 * Each distinct destination is a lane with its own queue, batches, and backoff, so one that is
 * slow or down never holds up another. A message is acked when every lane it went to took it (or
 * gave it up); if a lane failed it is nak'd with that lane's backoff, and on redelivery the lanes
 * that already took it are skipped.
 */
export class CallerDelivery {
  delivered = 0;
  dropped = 0;
  private readonly lanes = new Map<string, DeliveryLane>();
  private readonly inProgress = new Map<number, Tracked>();
  /** Lanes done with a message that was nak'd for another lane, by stream sequence. */
  private readonly doneWith = new Map<number, Set<string>>();
  private readonly resolutions = new Map<string, CallerResolution>();
  private readonly warned = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly options: CallerDeliveryOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Messages being delivered now (for back-pressure on fetching). */
  get holding(): number {
    return this.inProgress.size;
  }

  get destinations(): number {
    return this.lanes.size;
  }

  accept(message: HeldMessage, event: UsageEventV1): void {
    // A redelivery (ack wait passed) of a message still in a lane: the first delivery acks it.
    if (this.inProgress.has(message.seq)) return;
    const done = this.doneWith.get(message.seq);
    const targets = new Map<string, CallerDestinationTarget>();
    for (const entry of event.caller?.logging ?? []) {
      if (!entryWants(entry, event)) continue;
      const resolution = this.resolve(entry);
      if (!resolution.ok) {
        this.warnAtMostEveryMinute(`${entry.callback_name}:${resolution.reason}`, { callback: entry.callback_name, reason: resolution.reason, keyAlias: event.caller?.keyAlias, teamId: event.caller?.teamId }, 'per-key or per-team callback skipped');
        continue;
      }
      if (!done?.has(resolution.target.id)) targets.set(resolution.target.id, resolution.target);
    }
    if (targets.size === 0) {
      this.doneWith.delete(message.seq);
      message.ack();
      return;
    }
    const tracked: Tracked = { message, waiting: targets.size, retryInMs: 0 };
    this.inProgress.set(message.seq, tracked);
    for (const target of targets.values()) this.lane(target).push({ tracked, event });
  }

  /** Waits for the batches in flight; what is still queued is redelivered by JetStream later. */
  async stop(): Promise<void> {
    await Promise.all([...this.lanes.values()].map((lane) => lane.stop()));
  }

  /** Called by a lane for each item it is done with, one way or the other. */
  complete(laneId: string, item: Item, outcome: Outcome): void {
    const { tracked } = item;
    const seq = tracked.message.seq;
    if (outcome === 'delivered' || outcome === 'dropped') {
      if (outcome === 'delivered') this.delivered += 1;
      else this.dropped += 1;
      this.remember(seq, laneId);
    } else {
      tracked.retryInMs = Math.max(tracked.retryInMs, outcome.retryInMs);
    }
    tracked.waiting -= 1;
    if (tracked.waiting > 0) return;
    this.inProgress.delete(seq);
    if (tracked.retryInMs > 0) {
      tracked.message.nak(tracked.retryInMs);
    } else {
      this.doneWith.delete(seq);
      tracked.message.ack();
    }
  }

  warnAtMostEveryMinute(key: string, fields: Record<string, unknown>, message: string): void {
    const now = this.now();
    if ((this.warned.get(key) ?? -Infinity) > now - warnEveryMs) return;
    if (this.warned.size >= 10_000) this.warned.clear();
    this.warned.set(key, now);
    this.options.warn(fields, message);
  }

  private resolve(entry: CallerLogging): CallerResolution {
    const key = JSON.stringify([entry.callback_name, Object.entries(entry.callback_vars).sort()]);
    let resolution = this.resolutions.get(key);
    if (!resolution) {
      if (this.resolutions.size >= 10_000) this.resolutions.clear();
      resolution = this.options.resolve(entry);
      this.resolutions.set(key, resolution);
    }
    return resolution;
  }

  private remember(seq: number, laneId: string): void {
    let lanes = this.doneWith.get(seq);
    if (!lanes) {
      if (this.doneWith.size >= maxRemembered) this.doneWith.delete(this.doneWith.keys().next().value as number);
      lanes = new Set();
      this.doneWith.set(seq, lanes);
    }
    lanes.add(laneId);
  }

  private lane(target: CallerDestinationTarget): DeliveryLane {
    let lane = this.lanes.get(target.id);
    if (lane) {
      // Most recently used last, so the idle ones at the front are forgotten first.
      this.lanes.delete(target.id);
      this.lanes.set(target.id, lane);
      return lane;
    }
    if (this.lanes.size >= this.options.maxDestinations) {
      for (const [id, candidate] of this.lanes) {
        if (!candidate.idle) continue;
        this.lanes.delete(id);
        break;
      }
    }
    lane = new DeliveryLane(target, this.options.create(target), this, this.options, this.now);
    this.lanes.set(target.id, lane);
    return lane;
  }
}

/** One destination: its queue, at most one batch in flight, and its backoff while it is down. */
class DeliveryLane {
  private readonly queue: Item[] = [];
  private running: Promise<void> | undefined;
  private failures = 0;
  private retryAt = 0;
  /** Messages put back for retry during the current outage (bounded by maxRetryingPerDestination). */
  private readonly retrying = new Set<number>();

  constructor(
    private readonly target: CallerDestinationTarget,
    private readonly destination: CallbackDestination,
    private readonly owner: CallerDelivery,
    private readonly options: CallerDeliveryOptions,
    private readonly now: () => number,
  ) {}

  get idle(): boolean {
    return !this.running && this.queue.length === 0;
  }

  push(item: Item): void {
    const wait = this.retryAt - this.now();
    if (wait > 0) return this.putBack(item, wait);
    // Slow but answering: beyond a few batches, let JetStream hold the rest for the first backoff step.
    if (this.queue.length >= this.options.batchSize * 4) return this.owner.complete(this.target.id, item, { retryInMs: this.options.retryDelayMs(1) });
    this.queue.push(item);
    if (this.running) return;
    this.running = (async () => {
      try {
        while (this.queue.length > 0) await this.deliverNext();
      } finally {
        this.running = undefined;
      }
    })();
  }

  async stop(): Promise<void> {
    await this.running;
  }

  private async deliverNext(): Promise<void> {
    const wait = this.retryAt - this.now();
    if (wait > 0) {
      for (const item of this.queue.splice(0)) this.putBack(item, wait);
      return;
    }
    const batch = this.queue.splice(0, this.options.batchSize);
    try {
      await this.destination.deliver(batch.map((item) => item.event));
    } catch (error) {
      this.failed(batch, error);
      return;
    }
    if (this.failures > 0) this.retrying.clear();
    this.failures = 0;
    this.retryAt = 0;
    for (const item of batch) this.done(item, 'delivered');
  }

  private failed(batch: Item[], error: unknown): void {
    const fields = { destination: this.target.label, events: batch.length, err: error };
    if (error instanceof SwitchboardError && !error.isRetryable) {
      // Wrong keys or a wrong path do not heal: retrying would only keep the events from others.
      this.owner.warnAtMostEveryMinute(`refused:${this.target.id}`, fields, 'per-key or per-team callback refused the events; dropped');
      for (const item of batch) this.done(item, 'dropped');
      return;
    }
    this.failures += 1;
    const delay = this.options.retryDelayMs(this.failures);
    this.retryAt = this.now() + delay;
    this.owner.warnAtMostEveryMinute(`failed:${this.target.id}`, { ...fields, delay }, 'per-key or per-team callback delivery failed; will retry');
    for (const item of batch) this.putBack(item, delay);
  }

  private putBack(item: Item, delay: number): void {
    const seq = item.tracked.message.seq;
    if (this.retrying.has(seq) || this.retrying.size < this.options.maxRetryingPerDestination) {
      this.retrying.add(seq);
      this.owner.complete(this.target.id, item, { retryInMs: delay });
      return;
    }
    this.owner.warnAtMostEveryMinute(`full:${this.target.id}`, { destination: this.target.label, retrying: this.retrying.size }, 'per-key or per-team callback is down with too many events waiting; newer events dropped for it');
    this.done(item, 'dropped');
  }

  private done(item: Item, outcome: 'delivered' | 'dropped'): void {
    this.retrying.delete(item.tracked.message.seq);
    this.owner.complete(this.target.id, item, outcome);
  }
}
