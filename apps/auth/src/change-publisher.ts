import type { NatsConnection } from '@nats-io/transport-node';
import { authSubjects } from '@switchboard/contracts';
import type { IdentityChangedEvent, SubjectNamespace } from '@switchboard/contracts';
import { encodeJson } from '@switchboard/messaging';

/**
 * Tells every gateway which cached identities are stale. Core NATS, not JetStream: a lost event
 * is covered by the gateways' cache TTL, and a change must reach them in milliseconds.
 */
export class ChangePublisher {
  constructor(
    private readonly connection: NatsConnection,
    private readonly namespace: SubjectNamespace,
  ) {}

  publish(event: IdentityChangedEvent): void {
    if (this.connection.isClosed()) return;
    this.connection.publish(authSubjects.changed(this.namespace), encodeJson(event));
  }
}
