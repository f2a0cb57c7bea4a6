import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { apiHeaders, apiQueueGroup, apiSubjects } from '@switchboard/contracts';
import type { SwitchboardConfig } from '@switchboard/config';
import type { SubjectNamespace } from '@switchboard/contracts';
import { NATS_CONNECTION, decodeJson, readTraceHeaders } from '@switchboard/messaging';
import { SwitchboardError } from '@switchboard/spec';
import type { KeyVerifier, VerifiedKey } from '../auth/key-verifier';
import { authorizeRoute } from '../auth/route-access';
import { KEY_VERIFIER, SUBJECT_NAMESPACE, SWITCHBOARD_CONFIG } from '../bootstrap/tokens';
import { checkInputBounds, inputBoundsFrom } from '../http/input-bounds';
import type { InputBounds } from '../http/input-bounds';
import { toSwitchboardError } from '../http/error-response';
import { nextRequestId } from '../http/request-id';
import { ModelRouter } from '../routing/model-router.service';
import { NatsChatHandler } from './nats-chat.handler';
import { NatsReply } from './nats-reply';
import type { NatsApiRequest } from './nats-request';
import { NatsResponsesHandler } from './nats-responses.handler';
import { NatsRoutedCallService } from './nats-routed-call.service';

/** The HTTP route each subject stands for, so a key's `key_type` / `allowed_routes` apply over NATS too. */
interface Served {
  subject: string;
  method: 'GET' | 'POST';
  route: string;
  handle: (request: NatsApiRequest) => Promise<void>;
}

/**
 * The public NATS API (docs/nats-api.md): the same keys, model access, budgets, routing, usage
 * events and sessions as HTTP, for services that live on NATS. Each subject verifies the key,
 * decodes the payload and hands it to its handler; errors become OpenAI error JSON with the
 * HTTP-equivalent status in headers. Streams are chunk messages ending with an explicit end
 * marker; each is published with a probe reply subject, so a caller that stopped listening is
 * noticed (the server answers "no responders") and its upstream call cancelled.
 */
@Injectable()
export class NatsIngressService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly subscriptions: Subscription[] = [];
  private readonly bounds: InputBounds;

  constructor(
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
    @Inject(SUBJECT_NAMESPACE) private readonly namespace: SubjectNamespace,
    @Inject(KEY_VERIFIER) private readonly verifier: KeyVerifier,
    @Inject(ModelRouter) private readonly router: ModelRouter,
    @Inject(NatsRoutedCallService) private readonly calls: NatsRoutedCallService,
    @Inject(NatsChatHandler) private readonly chat: NatsChatHandler,
    @Inject(NatsResponsesHandler) private readonly responses: NatsResponsesHandler,
    @Inject(SWITCHBOARD_CONFIG) config: SwitchboardConfig,
  ) {
    this.bounds = inputBoundsFrom(config.generalSettings);
  }

  onApplicationBootstrap(): void {
    const served: Served[] = [
      { subject: apiSubjects.chatCompletions(this.namespace), method: 'POST', route: '/v1/chat/completions', handle: (request) => this.chat.completions(request) },
      { subject: apiSubjects.embeddings(this.namespace), method: 'POST', route: '/v1/embeddings', handle: (request) => this.chat.embeddings(request) },
      { subject: apiSubjects.responses(this.namespace), method: 'POST', route: '/v1/responses', handle: (request) => this.responses.create(request) },
      { subject: apiSubjects.models(this.namespace), method: 'GET', route: '/v1/models', handle: async (request) => this.models(request) },
    ];
    for (const entry of served) {
      this.subscriptions.push(
        this.connection.subscribe(entry.subject, {
          queue: apiQueueGroup,
          callback: (error, message) => {
            if (error || !message.reply) return;
            const reply = new NatsReply(this.connection, message.reply, nextRequestId());
            this.serve(entry, message, reply).catch((failure: unknown) => reply.error(toSwitchboardError(failure)));
          },
        }),
      );
    }
    this.subscriptions.push(
      this.connection.subscribe(`${this.calls.probePrefix}.*`, {
        // "No responders" on a probe: the caller's inbox has no subscriber any more.
        callback: (_error, message) => {
          if (message.headers?.code === 503) this.calls.probeUnanswered(message.subject);
        },
      }),
      this.connection.subscribe(apiSubjects.cancel(this.namespace), {
        callback: (_error, message) => {
          const request = safeJson(message.data) as { reply?: string } | undefined;
          if (typeof request?.reply === 'string') this.calls.cancel(request.reply);
        },
      }),
    );
  }

  onApplicationShutdown(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
  }

  private async serve(entry: Served, message: Msg, reply: NatsReply): Promise<void> {
    const verified = await this.authenticate(message);
    authorizeRoute(verified.identity, entry.method, entry.route);
    const body = safeJson(message.data);
    if (body === undefined) throw new SwitchboardError('invalid_request', 'The request body is not valid JSON', { param: 'body' });
    checkInputBounds(body, this.bounds);
    await entry.handle({ requestId: reply.requestId, subject: message.subject, inbox: message.reply ?? '', trace: readTraceHeaders(message.headers), customerId: message.headers?.get('x-litellm-customer-id') || undefined, verified, body, reply });
  }

  private async authenticate(message: Msg): Promise<VerifiedKey> {
    const header = message.headers?.get(apiHeaders.authorization) ?? '';
    const key = header.replace(/^Bearer\s+/i, '').trim();
    if (!key) throw new SwitchboardError('authentication', `You did not provide an API key. Send it in the '${apiHeaders.authorization}' header.`);
    return this.verifier.verify(key);
  }

  private models(request: NatsApiRequest): void {
    const { verified } = request;
    const names = this.router.modelNames().filter((name) => !verified.allowedModels || verified.allowedModels.has(name));
    const data = names.map((id) => ({ id, object: 'model', created: 0, owned_by: this.router.allDeployments().find((deployment) => deployment.modelName === id)?.provider ?? 'switchboard' }));
    request.reply.json({ object: 'list', data });
  }
}

function safeJson(data: Uint8Array): unknown {
  try {
    return decodeJson(data);
  } catch {
    return undefined;
  }
}
