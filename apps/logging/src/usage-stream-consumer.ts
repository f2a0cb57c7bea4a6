import type { JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { streamName, usageStreamDefaults, usageSubjects } from '@switchboard/contracts';
import type { SubjectNamespace } from '@switchboard/contracts';
import { ensureEventStream } from '@switchboard/messaging';

/** Makes sure the usage stream exists when the logging service starts before any worker (it never changes it). */
export async function ensureUsageStream(connection: NatsConnection, namespace: SubjectNamespace): Promise<void> {
  await ensureEventStream(connection, { name: streamName(namespace, 'USAGE'), subjects: [usageSubjects.all(namespace)], ...usageStreamDefaults, createOnly: true });
}

/** A message's JSON, or undefined when it is not JSON (it is then acked or parked, never retried forever). */
export function messageJson(message: JsMsg): unknown {
  try {
    return message.json();
  } catch {
    return undefined;
  }
}

/** A wait that `stop()` can cut short (back-pressure and pull retries, never a redelivery delay). */
export class Pauser {
  private wake: (() => void) | undefined;

  pause(milliseconds: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, milliseconds);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  interrupt(): void {
    this.wake?.();
  }
}
