import type { Caller, UsageEventV1, UsageStatus } from '@switchboard/contracts';
import { buildUsage, estimateTokens } from '@switchboard/provider-utils';
import type { ChatMessage, ChatRequest, ChatResult, FinishReason, StreamPart, SwitchboardError, Usage } from '@switchboard/spec';

export interface TrackedCall {
  requestId: string;
  callType: UsageEventV1['callType'];
  stream: boolean;
  provider: string;
  modelGroup: string;
  deploymentId: string;
  upstreamModel: string;
  caller?: Caller;
  /** When the gateway received the request (epoch ms). */
  receivedAt: number;
  workerId: string;
  attempt: number;
  /** Keep the messages and the answer's text in the usage event (`store_prompts_in_spend_logs`). */
  storePrompt?: boolean;
}

/** The tracked-call description of a command (chat or embedding) as the worker resolved it. */
export function trackedCall(
  command: { requestId: string; deployment: { modelGroup: string }; caller?: Caller; receivedAt: number; attempt: number; storePrompt?: boolean },
  deployment: { id: string; provider: string; upstreamModel: string },
  callType: TrackedCall['callType'],
  stream: boolean,
  workerId: string,
): TrackedCall {
  return {
    requestId: command.requestId,
    callType,
    stream,
    provider: deployment.provider,
    modelGroup: command.deployment.modelGroup,
    deploymentId: deployment.id,
    upstreamModel: deployment.upstreamModel,
    caller: command.caller,
    receivedAt: command.receivedAt,
    workerId,
    attempt: command.attempt,
    storePrompt: command.storePrompt,
  };
}

/** The most answer text a usage event keeps (the rest is cut with a marker). */
const maxStoredResponseCharacters = 65_536;

/**
 * Collects what one call produced: usage, first-token time, outcome. A stream cut short
 * (cancelled, failed, timed out) is billed for what was delivered: the provider's usage if it
 * arrived, else an estimate from the delivered text, flagged as estimated in `raw`.
 */
export class UsageTracker {
  private usage: Usage | undefined;
  private deliveredCharacters = 0;
  private firstTokenAt: number | undefined;
  private responseId: string | undefined;
  private responseModel: string | undefined;
  private finishReason: FinishReason | undefined;
  private status: UsageStatus = 'success';
  private errorCode: string | undefined;
  private responseText = '';

  constructor(
    private readonly call: TrackedCall,
    private readonly prompt: ChatRequest | undefined,
  ) {}

  observe(part: StreamPart): void {
    switch (part.type) {
      case 'response-metadata':
        this.responseId ??= part.id;
        this.responseModel ??= part.model;
        return;
      case 'text-delta':
      case 'reasoning-delta':
      case 'refusal-delta':
        this.markFirstToken();
        this.deliveredCharacters += part.delta.length;
        if (part.type === 'text-delta' && this.call.storePrompt && this.responseText.length < maxStoredResponseCharacters) this.responseText += part.delta;
        return;
      case 'tool-call-delta':
        this.markFirstToken();
        this.deliveredCharacters += part.argumentsDelta.length + (part.name?.length ?? 0);
        return;
      case 'finish':
        this.finishReason = part.finishReason;
        return;
      case 'usage':
        this.usage = part.usage;
        return;
      case 'warning':
      case 'error':
        return;
    }
  }

  completed(result: ChatResult): void {
    this.usage = result.usage;
    this.responseId = result.id;
    this.responseModel = result.model;
    this.finishReason = result.choices[0]?.finishReason;
    const content = result.choices[0]?.message.content;
    if (this.call.storePrompt && typeof content === 'string') this.responseText = content;
  }

  embedded(inputTokens: number, raw: unknown, model: string): void {
    this.usage = buildUsage({ inputTotal: inputTokens, outputTotal: 0, raw });
    this.responseModel = model;
  }

  failed(error: SwitchboardError): void {
    this.status = error.code === 'cancelled' ? 'cancelled' : 'error';
    this.errorCode = error.code;
  }

  get hasOutput(): boolean {
    return this.firstTokenAt !== undefined;
  }

  /**
   * The event this attempt should publish, if any: the request's event when the attempt completed
   * it (success, or output reached the client); a billed-attempt event when it failed before output
   * but the provider reported tokens; nothing for a free failure the gateway may retry (the gateway
   * publishes the request's event if every attempt fails).
   */
  eventToPublish(now = Date.now()): UsageEventV1 | undefined {
    const event = this.event(now);
    if (this.status === 'success' || this.hasOutput) return event;
    const tokens = event.usage.inputTokens.total + event.usage.outputTokens.total;
    if (this.usage && tokens > 0) return { ...event, billedAttemptOnly: true };
    return undefined;
  }

  event(now = Date.now()): UsageEventV1 {
    const event: UsageEventV1 = {
      v: 1,
      requestId: this.call.requestId,
      occurredAt: new Date(now).toISOString(),
      callType: this.call.callType,
      stream: this.call.stream,
      status: this.status,
      provider: this.call.provider,
      modelGroup: this.call.modelGroup,
      deploymentId: this.call.deploymentId,
      upstreamModel: this.call.upstreamModel,
      usage: this.usage ?? this.estimatedUsage(),
      latencyMs: Math.max(0, now - this.call.receivedAt),
      workerId: this.call.workerId,
      attempt: this.call.attempt,
    };
    if (this.responseId) event.responseId = this.responseId;
    if (this.responseModel) event.responseModel = this.responseModel;
    if (this.errorCode) event.errorCode = this.errorCode;
    if (this.finishReason) event.finishReason = this.finishReason.raw ?? this.finishReason.unified;
    if (this.firstTokenAt !== undefined) event.timeToFirstTokenMs = Math.max(0, this.firstTokenAt - this.call.receivedAt);
    if (this.call.caller) event.caller = this.call.caller;
    if (this.call.storePrompt && this.prompt) {
      event.messages = this.prompt.messages as unknown[];
      event.responseText = this.responseText.length > maxStoredResponseCharacters ? `${this.responseText.slice(0, maxStoredResponseCharacters)}[truncated]` : this.responseText;
    }
    return event;
  }

  private markFirstToken(): void {
    this.firstTokenAt ??= Date.now();
  }

  private estimatedUsage(): Usage {
    const delivered = Math.ceil(this.deliveredCharacters / 4);
    const promptTokens = this.prompt && this.deliveredCharacters > 0 ? estimatePrompt(this.prompt.messages) : 0;
    return buildUsage({ inputTotal: promptTokens, outputTotal: delivered, raw: { estimated: true } });
  }
}

function estimatePrompt(messages: readonly ChatMessage[]): number {
  let total = 3;
  for (const message of messages) {
    const content = message.content;
    const text = typeof content === 'string' ? content : JSON.stringify(content ?? '');
    total += 4 + estimateTokens(text);
  }
  return total;
}
