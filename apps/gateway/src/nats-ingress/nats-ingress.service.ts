import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createInbox, headers as createHeaders } from '@nats-io/transport-node';
import type { Msg, MsgHdrs, NatsConnection, Subscription } from '@nats-io/transport-node';
import { ChatChunkEncoder, encodeChatCompletion, encodeEmbeddingResponse, openAiErrorBody, parseChatRequest, parseEmbeddingRequest } from '@switchboard/api-openai';
import { apiHeaders, apiQueueGroup, apiSubjects } from '@switchboard/contracts';
import type { SubjectNamespace } from '@switchboard/contracts';
import { NATS_CONNECTION, decodeJson, encodeJson } from '@switchboard/messaging';
import type { RouteTrace } from '@switchboard/router';
import { SwitchboardError } from '@switchboard/spec';
import type { ChatResult, EmbeddingResult } from '@switchboard/spec';
import { AdmissionService } from '../admission/admission.service';
import type { KeyVerifier, VerifiedKey } from '../auth/key-verifier';
import { KEY_VERIFIER, SUBJECT_NAMESPACE } from '../bootstrap/tokens';
import { ChatAttemptService } from '../chat/chat-attempt.service';
import { toSwitchboardError } from '../http/error-response';
import { nextRequestId } from '../http/request-id';
import { ModelRouter } from '../routing/model-router.service';
import { routeRequestFor, withoutRoutingFields } from '../routing/route-request';
import { FailedRequestUsageService } from '../usage/failed-request-usage.service';
import { NatsCaller } from './nats-caller';

/**
 * The public NATS API (docs/nats-api.md): the same keys, model access, budgets, routing, usage
 * events and traces as HTTP, for services that live on NATS. Streams are chunk messages ending with
 * an explicit end marker; each is published with a probe reply subject, so a caller that stopped
 * listening is noticed (the server answers "no responders") and its upstream call cancelled.
 */
@Injectable()
export class NatsIngressService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly subscriptions: Subscription[] = [];
  private readonly probePrefix = createInbox();
  private readonly callers = new Map<string, NatsCaller>();
  private readonly callersByInbox = new Map<string, NatsCaller>();
  private sequence = 0;

  constructor(
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
    @Inject(SUBJECT_NAMESPACE) private readonly namespace: SubjectNamespace,
    @Inject(KEY_VERIFIER) private readonly verifier: KeyVerifier,
    @Inject(ModelRouter) private readonly router: ModelRouter,
    @Inject(ChatAttemptService) private readonly attempts: ChatAttemptService,
    @Inject(AdmissionService) private readonly admission: AdmissionService,
    @Inject(FailedRequestUsageService) private readonly failedUsage: FailedRequestUsageService,
  ) {}

  onApplicationBootstrap(): void {
    const serve = (subject: string, handler: (message: Msg, requestId: string) => Promise<void>) =>
      this.subscriptions.push(
        this.connection.subscribe(subject, {
          queue: apiQueueGroup,
          callback: (error, message) => {
            if (error || !message.reply) return;
            const requestId = nextRequestId();
            handler(message, requestId).catch((failure: unknown) => this.replyError(message.reply ?? '', requestId, toSwitchboardError(failure)));
          },
        }),
      );
    serve(apiSubjects.chatCompletions(this.namespace), (message, requestId) => this.chat(message, requestId));
    serve(apiSubjects.embeddings(this.namespace), (message, requestId) => this.embeddings(message, requestId));
    serve(apiSubjects.models(this.namespace), (message, requestId) => this.models(message, requestId));
    serve(apiSubjects.responses(this.namespace), async (message, requestId) =>
      this.replyError(message.reply ?? '', requestId, new SwitchboardError('not_found', 'The Responses API is not served over NATS yet; use HTTP /v1/responses')),
    );
    this.subscriptions.push(
      this.connection.subscribe(`${this.probePrefix}.*`, {
        // "No responders" on a probe: the caller's inbox has no subscriber any more.
        callback: (_error, message) => {
          if (message.headers?.code === 503) this.callers.get(message.subject.slice(this.probePrefix.length + 1))?.leave();
        },
      }),
      this.connection.subscribe(apiSubjects.cancel(this.namespace), {
        callback: (_error, message) => {
          const request = safeJson(message.data) as { reply?: string } | undefined;
          if (request?.reply) this.callersByInbox.get(request.reply)?.leave();
        },
      }),
    );
  }

  onApplicationShutdown(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
  }

  private async authenticate(message: Msg): Promise<VerifiedKey> {
    const header = message.headers?.get(apiHeaders.authorization) ?? '';
    const key = header.replace(/^Bearer\s+/i, '').trim();
    if (!key) throw new SwitchboardError('authentication', `You did not provide an API key. Send it in the '${apiHeaders.authorization}' header.`);
    return this.verifier.verify(key);
  }

  private body(message: Message): unknown {
    const parsed = safeJson(message.data);
    if (parsed === undefined) throw new SwitchboardError('invalid_request', 'The request body is not valid JSON', { param: 'body' });
    return parsed;
  }

  private async chat(message: Msg, requestId: string): Promise<void> {
    const verified = await this.authenticate(message);
    const request = parseChatRequest(this.body(message));
    if (verified.allowedModels && !verified.allowedModels.has(request.model)) {
      throw new SwitchboardError('authentication', `key not allowed to access model. Tried to access ${request.model}`, { param: 'model' });
    }
    const route = routeRequestFor(request.model, request, {}, request.messages);
    const admission = await this.admission.admit(requestId, request.model, route.promptTokens ?? 0, request.max_completion_tokens ?? request.max_tokens ?? undefined, { verified, customerId: request.user });
    const caller = request.user ? { ...verified.caller, customerId: request.user } : verified.caller;
    const trace: RouteTrace = { attemptedRetries: 0, attemptedFallbacks: 0, modelGroup: request.model };
    const reply = message.reply ?? '';
    const token = String(++this.sequence);
    const natsCaller = new NatsCaller(() => {
      this.callers.delete(token);
      this.callersByInbox.delete(reply);
    });
    this.callers.set(token, natsCaller);
    this.callersByInbox.set(reply, natsCaller);
    const startedAt = Date.now();
    let usage;
    try {
      const forwarded = withoutRoutingFields(request);
      const started = await this.router.execute(
        route,
        (deployment, currentTrace) => this.attempts.chat({ ...forwarded, model: deployment.modelName }, deployment, currentTrace, { requestId, caller, connection: natsCaller }),
        trace,
      );
      if (!request.stream) {
        started.dispatch.finish();
        const frame = started.buffered[started.buffered.length - 1];
        if (frame?.kind !== 'result') throw new SwitchboardError('internal', 'The worker sent no result');
        usage = (frame.result as ChatResult).usage;
        this.connection.publish(reply, encodeJson(encodeChatCompletion(frame.result as ChatResult)), { headers: this.headers(requestId, 200) });
        return;
      }
      const encoder = new ChatChunkEncoder({ fallbackId: `chatcmpl-${requestId}`, fallbackModel: request.model, includeUsage: request.stream_options?.include_usage === true });
      const probe = `${this.probePrefix}.${token}`;
      const queue = [...started.buffered];
      try {
        for (;;) {
          const frame = queue.shift() ?? (await started.dispatch.next());
          if (frame.kind === 'parts') {
            for (const chunk of encoder.chunks(frame.parts)) this.connection.publish(reply, encodeJson(chunk), { headers: this.streamHeaders(requestId, 'chunk'), reply: probe });
          } else if (frame.kind === 'end') {
            const usageChunk = encoder.usageChunk();
            if (usageChunk) this.connection.publish(reply, encodeJson(usageChunk), { headers: this.streamHeaders(requestId, 'chunk') });
            this.connection.publish(reply, new Uint8Array(0), { headers: this.streamHeaders(requestId, 'end') });
            return;
          } else {
            const error = frame.kind === 'error' ? frame.error : new SwitchboardError('internal', 'Unexpected reply');
            if (!natsCaller.closed) this.connection.publish(reply, encodeJson(openAiErrorBody(error.toPayload())), { headers: this.errorHeaders(requestId, error, 'error') });
            return;
          }
        }
      } finally {
        usage = encoder.receivedUsage;
        started.dispatch.finish();
      }
    } catch (error) {
      const failure = toSwitchboardError(error);
      this.failedUsage.record({ requestId, callType: 'chat', stream: request.stream === true, receivedAt: startedAt, caller, trace, error: failure });
      throw failure;
    } finally {
      natsCaller.release();
      void this.admission.settle(admission, requestId, trace.modelGroup, trace.deployment?.id, usage);
    }
  }

  private async embeddings(message: Msg, requestId: string): Promise<void> {
    const verified = await this.authenticate(message);
    const request = parseEmbeddingRequest(this.body(message));
    if (verified.allowedModels && !verified.allowedModels.has(request.model)) {
      throw new SwitchboardError('authentication', `key not allowed to access model. Tried to access ${request.model}`, { param: 'model' });
    }
    const natsCaller = new NatsCaller(() => undefined);
    const trace: RouteTrace = { attemptedRetries: 0, attemptedFallbacks: 0, modelGroup: request.model };
    const started = await this.router.execute(
      routeRequestFor(request.model, request, {}),
      (deployment, currentTrace) => this.attempts.embed({ ...withoutRoutingFields(request), model: deployment.modelName }, deployment, currentTrace, { requestId, caller: verified.caller, connection: natsCaller }),
      trace,
    );
    started.dispatch.finish();
    const frame = started.buffered[started.buffered.length - 1];
    if (frame?.kind !== 'result') throw new SwitchboardError('internal', 'The worker sent no result');
    this.connection.publish(message.reply ?? '', encodeJson(encodeEmbeddingResponse(frame.result as EmbeddingResult, request.encoding_format)), {
      headers: this.headers(requestId, 200),
    });
  }

  private async models(message: Msg, requestId: string): Promise<void> {
    const verified = await this.authenticate(message);
    const names = this.router.modelNames().filter((name) => !verified.allowedModels || verified.allowedModels.has(name));
    const data = names.map((id) => ({ id, object: 'model', created: 0, owned_by: this.router.allDeployments().find((deployment) => deployment.modelName === id)?.provider ?? 'switchboard' }));
    this.connection.publish(message.reply ?? '', encodeJson({ object: 'list', data }), { headers: this.headers(requestId, 200) });
  }

  private replyError(reply: string, requestId: string, error: SwitchboardError): void {
    if (!reply || this.connection.isClosed()) return;
    this.connection.publish(reply, encodeJson(openAiErrorBody(error.toPayload())), { headers: this.errorHeaders(requestId, error) });
  }

  private headers(requestId: string, status: number): MsgHdrs {
    const headers = createHeaders();
    headers.set(apiHeaders.requestId, requestId);
    headers.set(apiHeaders.status, String(status));
    return headers;
  }

  private streamHeaders(requestId: string, kind: 'chunk' | 'end' | 'error'): MsgHdrs {
    const headers = this.headers(requestId, 200);
    headers.set(apiHeaders.stream, kind);
    return headers;
  }

  private errorHeaders(requestId: string, error: SwitchboardError, stream?: 'error'): MsgHdrs {
    const headers = this.headers(requestId, error.status);
    headers.set(apiHeaders.errorCode, error.code);
    if (stream) headers.set(apiHeaders.stream, stream);
    if (error.retryAfterSeconds !== undefined) headers.set(apiHeaders.retryAfter, String(error.retryAfterSeconds));
    return headers;
  }
}

type Message = Pick<Msg, 'data'>;

function safeJson(data: Uint8Array): unknown {
  try {
    return decodeJson(data);
  } catch {
    return undefined;
  }
}
