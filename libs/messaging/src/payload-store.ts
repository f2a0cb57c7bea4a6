import { Objm } from '@nats-io/obj';
import type { ObjectStore } from '@nats-io/obj';
import { nuid } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { streamName } from '@switchboard/contracts';
import type { SubjectNamespace } from '@switchboard/contracts';

/** How long an unread large payload is kept (the bucket's TTL): far beyond any command's life. */
const payloadTtlMs = 15 * 60_000;

/**
 * Commands larger than one NATS message travel through a JetStream object store (bucket
 * `<PREFIX>_PAYLOADS`): the sender puts the payload under a fresh name and publishes a small
 * command naming it (`sb-payload-ref`); the one handler that takes the command from its queue
 * group reads it and deletes it. A reader that dies leaves it to the bucket's TTL.
 */
export class PayloadStore {
  private store: Promise<ObjectStore> | undefined;

  constructor(
    private readonly connection: NatsConnection,
    private readonly namespace: SubjectNamespace,
  ) {}

  /** The largest payload that fits in one message, with room for the headers. */
  get messageLimit(): number {
    return Math.max(64 * 1024, (this.connection.info?.max_payload ?? 1_048_576) - 16 * 1024);
  }

  async put(payload: Uint8Array): Promise<string> {
    const name = nuid.next();
    await (await this.bucket()).putBlob({ name }, payload);
    return name;
  }

  async take(name: string): Promise<Uint8Array> {
    const store = await this.bucket();
    const payload = await store.getBlob(name);
    if (!payload) throw new Error(`payload ${name} is not in the payload store (expired or already taken)`);
    void store.delete(name).catch(() => undefined);
    return payload;
  }

  private bucket(): Promise<ObjectStore> {
    this.store ??= new Objm(this.connection).create(streamName(this.namespace, 'PAYLOADS'), { ttl: payloadTtlMs * 1_000_000 }).catch((error: unknown) => {
      this.store = undefined;
      throw error;
    });
    return this.store;
  }
}
