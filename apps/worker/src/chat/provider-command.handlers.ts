import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { cancelCommandSchema, providerQueueGroup, providerSubjects } from '@switchboard/contracts';
import type { SubjectNamespace } from '@switchboard/contracts';
import { CommandServer, NATS_CONNECTION, decodeJson } from '@switchboard/messaging';
import type { Logger } from '@switchboard/observability';
import { LOGGER, SUBJECT_NAMESPACE, WORKER_SETTINGS } from '../bootstrap/tokens';
import { EmbedExecutionService } from '../embeddings/embed-execution.service';
import type { WorkerSettings } from '../worker-settings.schema';
import { ChatExecutionService } from './chat-execution.service';
import { InFlightRegistry } from './in-flight-registry';

export const SERVED_PROVIDERS = Symbol('SERVED_PROVIDERS');

/**
 * Subscribes to the chat and embedding subjects of every provider this worker serves, each in the
 * provider's queue group, and to the broadcast cancel subject. Handlers only decode and delegate.
 */
@Injectable()
export class ProviderCommandHandlers implements OnApplicationBootstrap {
  private readonly servers: CommandServer[] = [];

  constructor(
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
    @Inject(SUBJECT_NAMESPACE) private readonly namespace: SubjectNamespace,
    @Inject(SERVED_PROVIDERS) private readonly providers: readonly string[],
    @Inject(ChatExecutionService) private readonly chat: ChatExecutionService,
    @Inject(EmbedExecutionService) private readonly embed: EmbedExecutionService,
    @Inject(InFlightRegistry) private readonly inFlight: InFlightRegistry,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(WORKER_SETTINGS) private readonly settings: WorkerSettings,
  ) {}

  onApplicationBootstrap(): void {
    const onError = (error: unknown, requestId: string) => this.logger.error({ requestId, err: error }, 'command failed');
    for (const provider of this.providers) {
      const queue = providerQueueGroup(provider);
      this.servers.push(
        new CommandServer(this.connection, {
          subject: providerSubjects.chat(this.namespace, provider),
          queue,
          handle: (context) => this.chat.execute(context),
          onError,
        }),
        new CommandServer(this.connection, {
          subject: providerSubjects.embed(this.namespace, provider),
          queue,
          handle: (context) => this.embed.execute(context),
          onError,
        }),
      );
    }
    this.connection.subscribe(providerSubjects.cancel(this.namespace), {
      callback: (error, message) => {
        if (error) return;
        const parsed = cancelCommandSchema.safeParse(decodeJson(message.data));
        if (parsed.success && this.inFlight.cancel(parsed.data.requestId)) {
          this.logger.debug({ requestId: parsed.data.requestId }, 'cancelled by the gateway');
        }
      },
    });
    this.logger.info({ providers: this.providers.length }, 'serving providers');
  }

  get inFlightCount(): number {
    return this.servers.reduce((sum, server) => sum + server.inFlight, 0);
  }

  /** Stops taking new commands and waits for those in flight, up to the grace period (or `timeoutMs`). */
  async drain(timeoutMs = this.settings.SHUTDOWN_GRACE_SECONDS * 1000): Promise<number> {
    const graceMs = timeoutMs;
    const remaining = await Promise.all(this.servers.map((server) => server.drain(graceMs)));
    return remaining.reduce((sum, count) => sum + count, 0);
  }
}
