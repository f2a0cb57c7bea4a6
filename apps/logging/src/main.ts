import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfigFile } from '@switchboard/config';
import { streamName, subjectNamespace, usageSubjects } from '@switchboard/contracts';
import { NatsBusTransport, connectNats, ensureDeadLetterStream, retryDelayMs, watchMaxDeliveries } from '@switchboard/messaging';
import type { ConsumerPolicy } from '@switchboard/messaging';
import { createLogger, shutdownOnSignals, startMetricsServer } from '@switchboard/observability';
import type { Logger } from '@switchboard/observability';
import type { CallbackDestination } from './callback-destination';
import { withoutKeyInfo } from './callback-destination';
import { BudgetAlertConsumer } from './budget-alert.consumer';
import { environmentAllowed, parseEnvironmentAllowlist, resolveCallerLogging } from './caller-callbacks';
import type { CallerDestinationTarget } from './caller-callbacks';
import { CallerDelivery } from './caller-delivery';
import { CallerDestinationConsumer } from './caller-destination.consumer';
import { DestinationConsumer } from './destination-consumer';
import { LoggingConsumers } from './logging-consumers';
import { LoggingModule } from './logging.module';
import { ensureUsageStream } from './usage-stream-consumer';
import { FailureMemory } from './failure-memory';
import { LangfuseDestination } from './langfuse.destination';
import { createLoggingMetrics } from './logging-metrics';
import type { DeliveryCount } from './logging-metrics';
import { OtlpLogsDestination } from './otlp-logs.destination';
import { S3Destination } from './s3.destination';
import { parseLoggingSettings } from './logging-settings.schema';
import type { LoggingSettings } from './logging-settings.schema';
import { WebhookDestination, parseHeaderList } from './webhook.destination';

/** Destinations from LiteLLM's `success_callback` / `failure_callback` / `callbacks` names. */
function destinations(settings: LoggingSettings, litellmSettings: Readonly<Record<string, unknown>>, warn: (message: string) => void): CallbackDestination[] {
  const list = (name: string) => (Array.isArray(litellmSettings[name]) ? (litellmSettings[name] as string[]) : []);
  const wanted: Array<[string, CallbackDestination['wants']]> = [
    ...list('success_callback').map((name): [string, CallbackDestination['wants']] => [name, 'success']),
    ...list('failure_callback').map((name): [string, CallbackDestination['wants']] => [name, 'failure']),
    ...list('callbacks').map((name): [string, CallbackDestination['wants']] => [name, 'all']),
  ];
  const result: CallbackDestination[] = [];
  for (const [name, wants] of wanted) {
    if ((name === 'webhook' || name === 'generic_api' || name === 'generic') && settings.GENERIC_LOGGER_ENDPOINT) {
      result.push(new WebhookDestination(settings.GENERIC_LOGGER_ENDPOINT, parseHeaderList(settings.GENERIC_LOGGER_HEADERS), wants, settings.CALLBACK_TIMEOUT_MS));
    } else if (name === 'langfuse' && settings.LANGFUSE_PUBLIC_KEY && settings.LANGFUSE_SECRET_KEY) {
      result.push(new LangfuseDestination(settings.LANGFUSE_HOST, settings.LANGFUSE_PUBLIC_KEY, settings.LANGFUSE_SECRET_KEY, wants, settings.CALLBACK_TIMEOUT_MS));
    } else if ((name === 'otel' || name === 'opentelemetry') && (settings.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT ?? settings.OTEL_EXPORTER_OTLP_ENDPOINT)) {
      result.push(new OtlpLogsDestination(settings.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT ?? settings.OTEL_EXPORTER_OTLP_ENDPOINT ?? '', wants, settings.CALLBACK_TIMEOUT_MS));
    } else if (name === 's3' && settings.S3_CALLBACK_BUCKET && settings.AWS_ACCESS_KEY_ID && settings.AWS_SECRET_ACCESS_KEY) {
      result.push(
        new S3Destination(
          {
            bucket: settings.S3_CALLBACK_BUCKET,
            region: settings.S3_CALLBACK_REGION,
            endpoint: settings.S3_CALLBACK_ENDPOINT,
            prefix: settings.S3_CALLBACK_PREFIX,
            accessKeyId: settings.AWS_ACCESS_KEY_ID,
            secretAccessKey: settings.AWS_SECRET_ACCESS_KEY,
            sessionToken: settings.AWS_SESSION_TOKEN,
          },
          wants,
          settings.CALLBACK_TIMEOUT_MS,
        ),
      );
    } else if (name !== 'prometheus') {
      // Prometheus is built in (docs/metrics.md); anything else is reported, not fatal, so LiteLLM configs still start.
      warn(`Callback '${name}' is not supported or not configured; see docs/callbacks.md`);
    }
  }
  return result;
}

/** Delivery to the destinations in keys' and teams' `metadata.logging`, resolved against this service's environment. */
function callerDelivery(settings: LoggingSettings, policy: ConsumerPolicy, logger: Logger): CallerDelivery {
  const environmentAllowlist = parseEnvironmentAllowlist(settings.CALLBACK_VARS_ENV_ALLOWLIST);
  // Only the allow-listed variables are ever within reach of metadata.
  const environment = Object.fromEntries(Object.entries(process.env).filter(([name]) => environmentAllowed(name, environmentAllowlist)));
  const context = { environment, environmentAllowlist, defaultLangfuseHost: settings.LANGFUSE_HOST };
  const create = (target: CallerDestinationTarget): CallbackDestination =>
    target.settings.kind === 'langfuse'
      ? new LangfuseDestination(target.settings.host, target.settings.publicKey, target.settings.secretKey, 'all', settings.CALLBACK_TIMEOUT_MS)
      : new WebhookDestination(target.settings.endpoint, target.settings.headers, 'all', settings.CALLBACK_TIMEOUT_MS);
  return new CallerDelivery({
    batchSize: settings.CALLBACK_BATCH_SIZE,
    maxRetryingPerDestination: settings.CALLER_CALLBACK_MAX_RETRYING,
    maxDestinations: 1_000,
    resolve: (entry) => resolveCallerLogging(entry, context),
    create,
    warn: (fields, message) => logger.warn(fields, message),
    retryDelayMs: (failures) => retryDelayMs(policy, failures),
  });
}

async function main(): Promise<void> {
  const settings = parseLoggingSettings(process.env);
  const logger = createLogger({ service: 'logging', level: settings.LOG_LEVEL });
  const config = loadConfigFile(settings.SWITCHBOARD_CONFIG, { environment: process.env });
  const connection = await connectNats({ url: settings.NATS_URL, name: 'switchboard-logging' });
  const namespace = subjectNamespace(settings.SWITCHBOARD_SUBJECT_PREFIX);
  const policy: ConsumerPolicy = { backoffMs: settings.CALLBACK_BACKOFF_SECONDS, maxDeliver: settings.CALLBACK_MAX_DELIVERIES };
  const failures = new FailureMemory();
  const configured = destinations(settings, config.litellmSettings, (message) => logger.warn(message));
  // LiteLLM's redact_user_api_key_info: the config's destinations get no key, user, team or organization.
  const redacted = config.litellmSettings.redact_user_api_key_info === true ? configured.map(withoutKeyInfo) : configured;
  const destinationConsumers = redacted.map(
    (destination) => new DestinationConsumer(connection, namespace, destination, logger, { batchSize: settings.CALLBACK_BATCH_SIZE, flushMs: settings.CALLBACK_FLUSH_MS, policy, failures }),
  );
  const perCaller = settings.CALLER_CALLBACKS_ENABLED ? callerDelivery(settings, policy, logger) : undefined;
  const perCallerConsumer = perCaller
    ? new CallerDestinationConsumer(connection, namespace, perCaller, logger, { batchSize: settings.CALLBACK_BATCH_SIZE, flushMs: settings.CALLBACK_FLUSH_MS, maxAckPending: settings.CALLER_CALLBACK_MAX_PENDING, policy })
    : undefined;
  const alerting = Array.isArray(config.generalSettings.alerting) ? (config.generalSettings.alerting as unknown[]) : [];
  const alerts =
    alerting.includes('webhook') && settings.WEBHOOK_URL ? new BudgetAlertConsumer(connection, namespace, logger, { webhookUrl: settings.WEBHOOK_URL, timeoutMs: settings.CALLBACK_TIMEOUT_MS, policy, failures }) : undefined;
  if (alerting.includes('webhook') && !settings.WEBHOOK_URL) logger.warn('general_settings.alerting has "webhook" but WEBHOOK_URL is not set; budget alerts stay in the usage stream');
  const consumers = new LoggingConsumers(destinationConsumers, perCallerConsumer, alerts);
  // The usage stream (when no worker created it yet) and the dead-letter stream, then the advisories of events a
  // destination kept failing until max_deliver, which are parked, not left behind: the watch runs before any
  // consumer pulls, since advisories are not stored.
  await ensureUsageStream(connection, namespace);
  await ensureDeadLetterStream(connection, streamName(namespace, 'USAGE_DLQ'), usageSubjects.dead(namespace));
  const parkedAtMaxDeliver = new Map<string, number>();
  const advisories = watchMaxDeliveries(connection, {
    stream: streamName(namespace, 'USAGE'),
    durables: consumers.durables,
    deadLetterSubject: usageSubjects.dead(namespace),
    lastFailure: (durable, streamSeq) => failures.take(durable, streamSeq) ?? (durable === perCallerConsumer?.durable ? 'a per-key or per-team destination kept failing' : undefined),
    onParked: (durable, streamSeq) => {
      parkedAtMaxDeliver.set(durable, (parkedAtMaxDeliver.get(durable) ?? 0) + 1);
      logger.error({ consumer: durable, streamSeq }, 'usage event reached max_deliver for a callback; moved to the dead-letter stream');
    },
    onError: (error, durable, streamSeq) => logger.error({ err: error, consumer: durable, streamSeq }, 'usage event reached max_deliver and could not be parked; it stays in the usage stream at this sequence'),
  });
  const transport = new NatsBusTransport({ connection, namespace, consumers: { usage: consumers.usageSpecs(), alerts: consumers.alertSpecs() }, logger });
  const app = await NestFactory.createMicroservice(LoggingModule.create({ settings, connection, consumers }), { strategy: transport, logger: ['error', 'warn'] });
  await app.listen();
  const parked = (durable: string, own = 0) => own + (parkedAtMaxDeliver.get(durable) ?? 0);
  const metricsServer =
    settings.METRICS_PORT === 0
      ? undefined
      : await startMetricsServer(
          createLoggingMetrics({
            connection,
            stream: streamName(namespace, 'USAGE'),
            consumers: () => consumers.durables,
            deliveries: () => [
              ...destinationConsumers.flatMap((consumer): DeliveryCount[] => [
                { destination: consumer.destinationName, outcome: 'delivered', count: consumer.delivered },
                { destination: consumer.destinationName, outcome: 'failed', count: consumer.failed },
                { destination: consumer.destinationName, outcome: 'dead_lettered', count: parked(consumer.durable, consumer.deadLettered) },
              ]),
              ...(perCaller
                ? [
                    { destination: 'per_caller', outcome: 'delivered', count: perCaller.delivered },
                    { destination: 'per_caller', outcome: 'dropped', count: perCaller.dropped },
                    { destination: 'per_caller', outcome: 'dead_lettered', count: parked(perCallerConsumer?.durable ?? '') },
                  ] satisfies DeliveryCount[]
                : []),
              ...(alerts
                ? ([
                    { destination: 'budget_alerts', outcome: 'delivered', count: alerts.delivered },
                    { destination: 'budget_alerts', outcome: 'dead_lettered', count: parked(alerts.durable, alerts.deadLettered) },
                  ] satisfies DeliveryCount[])
                : []),
            ],
          }),
          { port: settings.METRICS_PORT, host: settings.METRICS_HOST, token: settings.METRICS_AUTH_TOKEN },
        ).catch((error: unknown) => {
          // A port that cannot be opened costs the metrics, not the deliveries.
          logger.error({ err: error, port: settings.METRICS_PORT }, 'metrics endpoint could not be opened; running without it');
          return undefined;
        });
  logger.info({ destinations: destinationConsumers.length, perCaller: Boolean(perCaller) }, 'logging service delivering usage events');
  shutdownOnSignals(app, logger, async () => {
    // Waits after failed deliveries end (their events come back on the backoff); the batches in hand finish.
    await consumers.stop();
    await transport.drain(5_000);
    advisories.stop();
    metricsServer?.close();
    await connection.drain().catch(() => undefined);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`switchboard logging failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
