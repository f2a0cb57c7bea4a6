import type { ReplyFrame } from '@switchboard/messaging';
import type { SwitchboardError, Usage } from '@switchboard/spec';
import type { StartedReply } from '../chat/chat-attempt.service';
import type { CallPlan } from './call-plan';

/** An answer that reached the client completely. */
export interface DeliveredAnswer {
  started: StartedReply;
  /** Every frame of the answer, when a hook asked for them (`recordsFrames`): what a cache stores. */
  frames?: ReplyFrame[];
  usage?: Usage;
}

/**
 * A feature plugged into the one request lifecycle (docs/ARCHITECTURE.md D21), in a fixed order:
 * after admission and before routing (a cache lookup answers with frames; a pre-call guardrail
 * refuses by throwing), after the first output (a guardrail may still refuse: nothing has been
 * sent), after a complete answer (a cache stores it), and on failure. With no hook registered the
 * pipeline skips every hook point with one length check.
 */
export interface LifecycleHook {
  /** Keep every frame of the answer for `afterAnswer`. */
  readonly recordsFrames?: boolean;
  beforeRouting?(plan: CallPlan): Promise<StartedReply | undefined> | StartedReply | undefined;
  afterFirstOutput?(plan: CallPlan, started: StartedReply): Promise<void> | void;
  afterAnswer?(plan: CallPlan, answer: DeliveredAnswer): void;
  onFailure?(plan: CallPlan, error: SwitchboardError): void;
}

/** The injection token of the registered hooks (a list; empty by default). */
export const LIFECYCLE_HOOKS = Symbol('LIFECYCLE_HOOKS');
