import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { authSubjects } from '@switchboard/contracts';
import type { IdentityChangedEvent, ListModelsReply, StoredModel, SubjectNamespace } from '@switchboard/contracts';
import { decodeJson } from './json-codec';

const retryMs = 1_000;

export interface StoredModelsWatch {
  /** Asks again now (a `changed` event said `models`, or a caller wants a fresh list). */
  reload(): Promise<void>;
  stop(): void;
}

/**
 * Keeps a process's view of the deployments stored in the database (`/model/new`): asks the auth
 * service (`list_models`) at start, again on every `changed` event that says `models`, and every
 * second while the auth service cannot be reached. Credentials stay encrypted in what it delivers.
 */
export function watchStoredModels(
  connection: NatsConnection,
  namespace: SubjectNamespace,
  timeoutMs: number,
  onModels: (models: StoredModel[]) => void,
): StoredModelsWatch {
  let generation = 0;
  let retry: NodeJS.Timeout | undefined;
  let stopped = false;
  const reload = async (): Promise<void> => {
    const current = ++generation;
    clearTimeout(retry);
    try {
      const message = await connection.request(authSubjects.listModels(namespace), new Uint8Array(), { timeout: timeoutMs });
      const reply = decodeJson<ListModelsReply>(message.data);
      if (current === generation && !stopped && Array.isArray(reply.models)) onModels(reply.models);
    } catch {
      if (stopped || connection.isClosed()) return;
      retry = setTimeout(() => void reload(), retryMs);
      retry.unref();
    }
  };
  const subscription: Subscription = connection.subscribe(authSubjects.changed(namespace), {
    callback: (error, message) => {
      if (error) return;
      try {
        if (decodeJson<IdentityChangedEvent>(message.data).models) void reload();
      } catch {
        // not an identity event
      }
    },
  });
  void reload();
  return {
    reload,
    stop: () => {
      stopped = true;
      clearTimeout(retry);
      subscription.unsubscribe();
    },
  };
}
