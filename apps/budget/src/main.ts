import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { jetstreamManager } from '@nats-io/jetstream';
import { loadConfigFile } from '@switchboard/config';
import type { ModelDeployment } from '@switchboard/config';
import { streamName, subjectNamespace, usageSubjects } from '@switchboard/contracts';
import { SpendLedgerRepository, SpendPeriodRepository, SpendReportRepository, createSpendDataSource } from '@switchboard/data-access-spend';
import { NatsBusTransport, connectNats, watchStoredModels } from '@switchboard/messaging';
import { createLogger, shutdownOnSignals, startMetricsServer, startTracing } from '@switchboard/observability';
import { PricingService } from '@switchboard/pricing';
import { splitModel } from '@switchboard/provider-utils';
import type { DeploymentParams } from '@switchboard/spec';
import { BudgetMetrics } from './budget-metrics';
import { BudgetModule } from './budget.module';
import { parseBudgetSettings } from './budget-settings.schema';
import { PeriodSpendService } from './period-spend.service';
import { SpendReportsService } from './spend-reports.service';
import { UsageLedgerService } from './usage-ledger.service';
import { UsagePricer } from './usage-pricer';
import { spendLogRetention } from './spend-log-retention';

/** The budget service: the usage stream into the spend ledger, and the spend questions the other services ask. */
async function main(): Promise<void> {
  const settings = parseBudgetSettings(process.env);
  const logger = createLogger({ service: 'budget', level: settings.LOG_LEVEL });
  const config = loadConfigFile(settings.SWITCHBOARD_CONFIG, { environment: process.env });
  // The one price book (docs/ARCHITECTURE.md D16), over the config's deployments and those stored in the database.
  let deployments: readonly ModelDeployment[] = config.modelList;
  const pricing = PricingService.fromSettings(config, settings, () => deployments);
  logger.info({ priceOverrides: pricing.overridesFingerprint }, 'price book loaded');
  if (pricing.unbilledOverrideFields.length) logger.warn({ fields: pricing.unbilledOverrideFields.slice(0, 50) }, 'PRICE_OVERRIDES_FILE has cost fields Switchboard does not bill by');
  const pricer = new UsagePricer(pricing);
  // The spend tables through TypeORM (libs/data-access/spend). A connection Postgres terminates (a restart, an outage)
  // fails its query and never the process: the ledger holds its events, a seed or a report answers 503.
  const dataSource = await createSpendDataSource({ url: settings.DATABASE_URL, poolSize: 4 }).initialize();
  const connection = await connectNats({ url: settings.NATS_URL, name: 'switchboard-budget' });
  const tracing = startTracing('budget', process.env);
  const namespace = subjectNamespace(settings.SWITCHBOARD_SUBJECT_PREFIX);
  const durableName = 'budget-ledger';
  const metrics = new BudgetMetrics({ connection, stream: streamName(namespace, 'USAGE'), durableName });
  const ledgerRepository = new SpendLedgerRepository(dataSource);
  const ledger = new UsageLedgerService(
    connection,
    namespace,
    ledgerRepository,
    pricer,
    logger,
    { durableName, policy: { backoffMs: settings.USAGE_BACKOFF_SECONDS, maxDeliver: settings.USAGE_MAX_DELIVERIES } },
    tracing,
    metrics,
  );
  // Deployments stored in the database carry their own prices too.
  const storedModels = watchStoredModels(connection, namespace, 2_000, (models) => {
    deployments = [
      ...config.modelList,
      ...models.map((model) => ({ id: model.model_id, modelName: model.model_name, provider: splitModel(model.litellm_params.model).provider, params: model.litellm_params as DeploymentParams, info: model.model_info })),
    ];
  });
  pricer.refreshWith(() => storedModels.reload());
  // LiteLLM's general_settings.maximum_spend_logs_retention_period / _interval win over the environment's SPEND_LOG_RETENTION_DAYS.
  const { retentionDays: retention, intervalMs } = spendLogRetention(config.generalSettings, settings.SPEND_LOG_RETENTION_DAYS);
  // Gateways ask for a budget period's spend when its Redis counter is missing (docs/ARCHITECTURE.md D16).
  const periods = new PeriodSpendService(new SpendPeriodRepository(dataSource), await jetstreamManager(connection), {
    stream: streamName(namespace, 'USAGE'),
    recordedSubjects: [usageSubjects.recorded(namespace, 'plain'), usageSubjects.recorded(namespace, 'logged')],
    durableName,
    timeoutMs: settings.PERIOD_SPEND_TIMEOUT_MS,
    retentionDays: retention,
  });
  const reports = new SpendReportsService(new SpendReportRepository(dataSource), pricing, { timeoutMs: settings.SPEND_REPORT_TIMEOUT_MS, logger });
  const transport = new NatsBusTransport({ connection, namespace, consumers: { ledger: [ledger.consumerSpec()] }, logger });
  const app = await NestFactory.createMicroservice(BudgetModule.create({ settings, connection, dataSource, ledger, periods, reports }), { strategy: transport, logger: ['error', 'warn'] });
  await app.listen();
  // Internal port only, never the health port (docs/metrics.md). A port that cannot be opened costs the metrics,
  // not the ledger: the service keeps recording spend.
  const metricsServer =
    settings.METRICS_PORT === 0
      ? undefined
      : await startMetricsServer(metrics.registry, { port: settings.METRICS_PORT, host: settings.METRICS_HOST, token: settings.METRICS_AUTH_TOKEN }).catch((error: unknown) => {
          logger.error({ err: error, port: settings.METRICS_PORT }, 'metrics endpoint could not be opened; running without it');
          return undefined;
        });
  const pruneTimer = retention
    ? setInterval(() => {
        ledgerRepository
          .deleteOlderThan(new Date(Date.now() - retention * 86_400_000))
          .then((deleted) => deleted && logger.info({ deleted }, 'spend log rows past retention deleted'))
          .catch(() => undefined);
      }, intervalMs)
    : undefined;
  pruneTimer?.unref();
  logger.info('budget service consuming usage events');
  shutdownOnSignals(app, logger, async () => {
    clearInterval(pruneTimer);
    storedModels.stop();
    // An event held for a database that is away stays in the stream, unacknowledged.
    ledger.stop();
    // Commands in flight finish and the batch being written commits; the rest stays in the stream.
    await transport.drain(5_000);
    metricsServer?.close();
    await tracing.shutdown().catch(() => undefined);
    await connection.drain().catch(() => undefined);
    await dataSource.destroy().catch(() => undefined);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`switchboard budget failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
