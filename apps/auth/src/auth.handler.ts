import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { authQueueGroup, authSubjects } from '@switchboard/contracts';
import type { CustomerStatusRequest, ListModelsReply, ManagementRequest, SubjectNamespace, VerifyKeyRequest } from '@switchboard/contracts';
import { decodeJson, encodeJson } from '@switchboard/messaging';
import { SwitchboardError } from '@switchboard/spec';
import type { KeyVerificationService } from './key-verification.service';
import type { ManagementService } from './management.service';
import type { ModelManagementService } from './model-management.service';

/** The auth service's NATS commands, served in the queue group `auth`: decode, call one service, reply. */
export class AuthHandler {
  private readonly subscriptions: Subscription[] = [];
  private readonly active = new Set<Promise<void>>();

  constructor(
    private readonly connection: NatsConnection,
    private readonly namespace: SubjectNamespace,
    private readonly verification: KeyVerificationService,
    private readonly management: ManagementService,
    private readonly models: ModelManagementService,
  ) {}

  start(): void {
    this.serve(authSubjects.verifyKey(this.namespace), (message) => this.verification.verify(decodeJson<VerifyKeyRequest>(message.data).key_hash));
    this.serve(authSubjects.manage(this.namespace), (message) => this.management.handle(decodeJson<ManagementRequest>(message.data)));
    this.serve(authSubjects.customerStatus(this.namespace), (message) => this.verification.customerStatus(decodeJson<CustomerStatusRequest>(message.data).customer_id));
    this.serve(authSubjects.listModels(this.namespace), async (): Promise<ListModelsReply> => ({ models: await this.models.all() }));
  }

  get inFlight(): number {
    return this.active.size;
  }

  /** Stops taking commands and waits for those in flight. */
  async drain(): Promise<void> {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    await Promise.allSettled([...this.active]);
  }

  private serve(subject: string, handle: (message: Msg) => Promise<unknown>): void {
    this.subscriptions.push(
      this.connection.subscribe(subject, {
        queue: authQueueGroup,
        callback: (error, message) => {
          if (error) return;
          const task = handle(message)
            .then((reply) => message.respond(encodeJson(reply)))
            .catch((handlerError: unknown) => {
              message.respond(encodeJson({ error: SwitchboardError.from(handlerError).toPayload() }));
            })
            .then(() => undefined)
            .finally(() => this.active.delete(task));
          this.active.add(task);
        },
      }),
    );
  }
}
