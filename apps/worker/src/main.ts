import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { streamName, subjectNamespace, usageSubjects } from '@switchboard/contracts';
import { BusConnectionState, NatsBusTransport, connectNats, ensureEventStream } from '@switchboard/messaging';
import { createLogger, createMetricsRegistry, shutdownOnSignals, startMetricsServer, startTracing } from '@switchboard/observability';
import { createProviderRegistry } from '@switchboard/providers';
import { SwitchboardError } from '@switchboard/spec';
import { InFlightRegistry } from './chat/in-flight-registry';
import { UsageRecorder } from './usage/usage-recorder.service';
import { WorkerModule } from './worker.module';
import { parseWorkerSettings, selectedProviders } from './worker-settings.schema';

async function main(): Promise<void> {
  const settings = parseWorkerSettings(process.env);
  const logger = createLogger({ service: 'worker', level: settings.LOG_LEVEL });
  const registry = createProviderRegistry();
  const providers = selectedProviders(settings, [...registry.keys()]);
  const namespace = subjectNamespace(settings.SWITCHBOARD_SUBJECT_PREFIX);
  const connection = await connectNats({ url: settings.NATS_URL, name: 'switchboard-worker' });
  // Usage events go over a connection of their own: their JetStream acknowledgements never share a socket
  // (and its head-of-line waits) with the reply frames clients are waiting for.
  const usageConnection = await connectNats({ url: settings.NATS_URL, name: 'switchboard-worker-usage' });
  await ensureEventStream(connection, {
    name: streamName(namespace, 'USAGE'),
    subjects: [usageSubjects.all(namespace)],
    duplicateWindowMs: settings.USAGE_STREAM_DUPLICATE_WINDOW_SECONDS * 1000,
    maxAgeMs: settings.USAGE_STREAM_MAX_AGE_HOURS * 3_600_000,
    replicas: settings.USAGE_STREAM_REPLICAS,
  });
  const metricsRegistry = createMetricsRegistry('worker');
  const tracing = startTracing('worker', process.env);
  const transport = new NatsBusTransport({ connection, namespace, routingKeys: { providers }, heartbeatMs: settings.WORKER_HEARTBEAT_MS, logger });
  const app = await NestFactory.createMicroservice(
    WorkerModule.create({ settings, environment: Object.freeze({ ...process.env }), namespace, connection, usageConnection, logger, registry, metricsRegistry, tracing }),
    { strategy: transport, logger: ['error', 'warn'] },
  );
  await app.listen();
  logger.info({ providers: providers.length }, 'serving providers');
  // Replies published while the bus is down never arrive: stop the upstream calls nobody can receive
  // (each still records its usage event, which the publisher delivers once the bus is back).
  new BusConnectionState(connection).onLost(() => {
    logger.warn('message bus connection lost: cancelling the calls in flight');
    app.get(InFlightRegistry).cancelAll(new SwitchboardError('upstream_unavailable', 'The worker lost its connection to the message bus'));
  });
  const metrics =
    settings.METRICS_PORT === 0
      ? undefined
      : await startMetricsServer(metricsRegistry, { port: settings.METRICS_PORT, host: settings.METRICS_HOST, token: settings.METRICS_AUTH_TOKEN });

  shutdownOnSignals(app, logger, async () => {
    const left = await transport.drain(settings.SHUTDOWN_GRACE_SECONDS * 1000);
    if (left > 0) {
      // Past the grace period: end what is left so each still sends its error frame and usage event.
      app.get(InFlightRegistry).cancelAll(new SwitchboardError('upstream_unavailable', 'The worker is shutting down'));
      await transport.drain(2_000);
    }
    const unsent = await app.get(UsageRecorder).flush(10_000);
    if (unsent > 0) logger.error({ unsent }, 'usage events could not be stored before exit');
    metrics?.close();
    await tracing.shutdown().catch(() => undefined);
    await usageConnection.drain().catch(() => undefined);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`switchboard worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
