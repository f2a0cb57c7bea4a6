import { Inject, Injectable } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import type { ModelDeployment } from '@switchboard/config';
import { providerSubjects } from '@switchboard/contracts';
import type { Caller, ChatCommandV1, EmbedCommandV1, SubjectNamespace } from '@switchboard/contracts';
import { NATS_CONNECTION, encodeJson, requestHeaders } from '@switchboard/messaging';
import type { NatsBusClient, ReplyChannel, ReplyFrame } from '@switchboard/messaging';
import { SwitchboardError } from '@switchboard/spec';
import type { ChatRequest, EmbeddingRequest } from '@switchboard/spec';
import type { SwitchboardConfig } from '@switchboard/config';
import { BUS_CLIENT, GATEWAY_SETTINGS, SUBJECT_NAMESPACE, SWITCHBOARD_CONFIG } from '../bootstrap/tokens';
import type { GatewaySettings } from '../gateway-settings.schema';

export interface DispatchOptions {
  requestId: string;
  deployment: ModelDeployment;
  caller: Caller;
  traceparent?: string;
  tracestate?: string;
  /** 1-based number of this upstream attempt for the request. */
  attempt?: number;
  timeoutMs?: number;
  streamTimeoutMs?: number;
}

/** A command sent to a worker, with a deadline; frames are read with `next()`. */
export class Dispatch {
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly channel: ReplyChannel,
    timeoutMs: number,
    private readonly onCancel: () => void,
  ) {
    this.timer = setTimeout(() => {
      this.onCancel();
      this.channel.fail(new SwitchboardError('upstream_timeout', `The request timed out after ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
  }

  next(): Promise<ReplyFrame> {
    return this.channel.next();
  }

  /** Resolves when the frames the client has not taken yet pass `limit` bytes (a reader that stopped). */
  whenQueuedOver(limit: number): { reached: Promise<void>; cancel: () => void } {
    return this.channel.whenQueuedOver(limit);
  }

  /** The client went away: tell the worker to abort the upstream call, and stop listening. */
  cancel(): void {
    clearTimeout(this.timer);
    this.onCancel();
    this.channel.fail(new SwitchboardError('cancelled', 'The client closed the connection'));
  }

  finish(): void {
    clearTimeout(this.timer);
    this.channel.close();
  }
}

/** Sends chat and embedding commands to the worker queue group of the deployment's provider. */
@Injectable()
export class WorkerDispatchService {
  constructor(
    @Inject(BUS_CLIENT) private readonly bus: NatsBusClient,
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
    @Inject(SUBJECT_NAMESPACE) private readonly namespace: SubjectNamespace,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
    @Inject(SWITCHBOARD_CONFIG) private readonly config: SwitchboardConfig,
  ) {}

  chat(request: ChatRequest, options: DispatchOptions): Dispatch {
    const command: ChatCommandV1 = {
      v: 1,
      requestId: options.requestId,
      stream: request.stream === true,
      deployment: { id: options.deployment.id, modelGroup: options.deployment.modelName, params: options.deployment.params },
      request: request as ChatCommandV1['request'],
      caller: options.caller,
      receivedAt: Date.now(),
      attempt: options.attempt ?? 1,
      timeoutMs: options.timeoutMs,
      streamTimeoutMs: options.streamTimeoutMs,
    };
    if (this.config.generalSettings.store_prompts_in_spend_logs === true) command.storePrompt = true;
    return this.send(providerSubjects.chat(this.namespace, options.deployment.provider), command, options);
  }

  embed(request: EmbeddingRequest, options: DispatchOptions): Dispatch {
    const command: EmbedCommandV1 = {
      v: 1,
      requestId: options.requestId,
      deployment: { id: options.deployment.id, modelGroup: options.deployment.modelName, params: options.deployment.params },
      request: request as EmbedCommandV1['request'],
      caller: options.caller,
      receivedAt: Date.now(),
      attempt: options.attempt ?? 1,
      timeoutMs: options.timeoutMs,
    };
    return this.send(providerSubjects.embed(this.namespace, options.deployment.provider), command, options);
  }

  private send(subject: string, command: ChatCommandV1 | EmbedCommandV1, options: DispatchOptions): Dispatch {
    const headers = requestHeaders({
      requestId: options.requestId,
      traceparent: options.traceparent,
      tracestate: options.tracestate,
    });
    const channel = this.bus.open(subject, encodeJson(command), headers, { silenceLimitMs: this.settings.WORKER_SILENCE_TIMEOUT_MS });
    const cancelSubject = providerSubjects.cancel(this.namespace);
    const cancelPayload = encodeJson({ v: 1, requestId: options.requestId });
    return new Dispatch(channel, this.timeoutMs(options.deployment, options.timeoutMs), () => {
      if (!this.connection.isClosed()) this.connection.publish(cancelSubject, cancelPayload);
    });
  }

  private timeoutMs(deployment: ModelDeployment, override?: number): number {
    const seconds = Number(deployment.params.timeout ?? 600);
    const deploymentMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 600_000;
    return (override ?? deploymentMs) + this.settings.GATEWAY_TIMEOUT_GRACE_MS;
  }
}
