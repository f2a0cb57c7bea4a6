import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { authSubjects } from '@switchboard/contracts';
import type { IdentityChangedEvent, SubjectNamespace } from '@switchboard/contracts';
import { NATS_CONNECTION, decodeJson } from '@switchboard/messaging';
import { SUBJECT_NAMESPACE } from '../bootstrap/tokens';
import { CustomerVerifier } from './customer-verifier';
import { VirtualKeyVerifier } from './virtual-key.verifier';

/**
 * Applies the auth service's `changed` broadcasts on this instance: cached keys and customers are
 * dropped, so a revocation takes effect within milliseconds (stored models: StoredModelsService).
 */
@Injectable()
export class IdentityEventsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private subscription: Subscription | undefined;

  constructor(
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
    @Inject(SUBJECT_NAMESPACE) private readonly namespace: SubjectNamespace,
    @Inject(VirtualKeyVerifier) private readonly verifier: VirtualKeyVerifier,
    @Inject(CustomerVerifier) private readonly customers: CustomerVerifier,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = this.connection.subscribe(authSubjects.changed(this.namespace), {
      callback: (error, message) => {
        if (error) return;
        let event: IdentityChangedEvent;
        try {
          event = decodeJson<IdentityChangedEvent>(message.data);
        } catch {
          return;
        }
        this.verifier.cache.invalidate(event);
        if (event.customerIds?.length) this.customers.invalidate(event.customerIds);
      },
    });
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
  }
}
