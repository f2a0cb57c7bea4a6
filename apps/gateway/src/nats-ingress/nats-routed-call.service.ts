import { Inject, Injectable } from '@nestjs/common';
import { createInbox } from '@nats-io/transport-node';
import type { ModelDeployment } from '@switchboard/config';
import type { Caller, UsageEventV1 } from '@switchboard/contracts';
import type { AttemptOutcome, RouteRequest, RouteTrace } from '@switchboard/router';
import type { Usage } from '@switchboard/spec';
import { AdmissionService } from '../admission/admission.service';
import type { StartedReply } from '../chat/chat-attempt.service';
import { toSwitchboardError } from '../http/error-response';
import { ModelRouter } from '../routing/model-router.service';
import { FailedRequestUsageService } from '../usage/failed-request-usage.service';
import { NatsCaller } from './nats-caller';
import type { NatsApiRequest } from './nats-request';

export interface NatsRoutedCall {
  request: NatsApiRequest;
  route: RouteRequest;
  caller: Caller;
  callType: UsageEventV1['callType'];
  stream: boolean;
  /** The request's maximum output, for the budget reservation (undefined: the default estimate). */
  maxTokens?: number;
  attempt: (deployment: ModelDeployment, trace: RouteTrace, connection: NatsCaller) => Promise<AttemptOutcome<StartedReply>>;
  /** Replies with the answer; resolves with the usage it reported, for settlement. */
  respond: (started: StartedReply, connection: NatsCaller) => Promise<Usage | undefined>;
}

/**
 * The life of one routed LLM request on the NATS edge, the same for chat, embeddings and
 * Responses, and the same steps as HTTP's RoutedCallService: budget and rate-limit admission,
 * routing with retries and fallbacks, the answer, the usage event when every attempt failed,
 * settlement. It also knows the callers in flight, so a cancel or an unanswered probe stops theirs.
 */
@Injectable()
export class NatsRoutedCallService {
  /** Stream messages carry `<probePrefix>.<token>` as their reply subject. */
  readonly probePrefix = createInbox();
  private readonly callers = new Map<string, NatsCaller>();
  private readonly callersByInbox = new Map<string, NatsCaller>();
  private sequence = 0;

  constructor(
    @Inject(ModelRouter) private readonly router: ModelRouter,
    @Inject(AdmissionService) private readonly admission: AdmissionService,
    @Inject(FailedRequestUsageService) private readonly failedUsage: FailedRequestUsageService,
  ) {}

  async run(call: NatsRoutedCall): Promise<void> {
    const { requestId, inbox, verified } = call.request;
    const admission = await this.admission.admit(requestId, call.route.modelGroup, call.route.promptTokens ?? 0, call.maxTokens, { verified, customerId: call.caller.customerId });
    const trace: RouteTrace = { attemptedRetries: 0, attemptedFallbacks: 0, modelGroup: call.route.modelGroup };
    const connection = this.open(inbox);
    const receivedAt = Date.now();
    let usage: Usage | undefined;
    try {
      let started: StartedReply;
      try {
        started = await this.router.execute(call.route, (deployment, currentTrace) => call.attempt(deployment, currentTrace, connection), trace);
      } catch (error) {
        // Every attempt failed before any output: no worker records this request, so the gateway does.
        const failure = toSwitchboardError(error);
        this.failedUsage.record({ requestId, callType: call.callType, stream: call.stream, receivedAt, caller: call.caller, trace, error: failure });
        throw failure;
      }
      usage = await call.respond(started, connection);
    } finally {
      connection.release();
      void this.admission.settle(admission, requestId, trace.modelGroup, trace.deployment?.id, usage, call.caller.keyAlias);
    }
  }

  /** "No responders" on a probe: that caller's inbox has no subscriber any more. */
  probeUnanswered(subject: string): void {
    this.callers.get(subject.slice(this.probePrefix.length + 1))?.leave();
  }

  /** The caller asked to stop the stream it reads on `inbox`. */
  cancel(inbox: string): void {
    this.callersByInbox.get(inbox)?.leave();
  }

  private open(inbox: string): NatsCaller {
    const token = String(++this.sequence);
    const caller = new NatsCaller(`${this.probePrefix}.${token}`, () => {
      this.callers.delete(token);
      if (this.callersByInbox.get(inbox) === caller) this.callersByInbox.delete(inbox);
    });
    this.callers.set(token, caller);
    this.callersByInbox.set(inbox, caller);
    return caller;
  }
}
