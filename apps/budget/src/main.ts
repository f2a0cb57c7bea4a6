import 'reflect-metadata';
import { createServer } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { loadConfigFile } from '@switchboard/config';
import { jetstreamManager } from '@nats-io/jetstream';
import { streamName, subjectNamespace, usageSubjects } from '@switchboard/contracts';
import { SpendLedgerRepository, SpendPeriodRepository, SpendReportRepository, createSpendDataSource } from '@switchboard/data-access-spend';
import { NatsBusTransport, connectNats, watchStoredModels } from '@switchboard/messaging';
import { splitModel } from '@switchboard/provider-utils';
import type { DeploymentParams } from '@switchboard/spec';
import type { ModelDeployment } from '@switchboard/config';
import { createLogger, startMetricsServer, startTracing } from '@switchboard/observability';
import { PricingService } from '@switchboard/pricing';
import { BudgetMetrics } from './budget-metrics';
import { parseBudgetSettings } from './budget-settings.schema';
import { PeriodSpendHandler } from './period-spend.handler';
import { PeriodSpendService } from './period-spend.service';
import { SpendReportsModule } from './spend-reports.module';
import { SpendReportsService } from './spend-reports.service';
import { UsageLedgerConsumer } from './usage-ledger.consumer';
import { UsagePricer } from './usage-pricer';
import { spendLogRetention } from './spend-log-retention';

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
  // fails its query and never the process: the ledger consumer retries, a seed or a report answers 503.
  const dataSource = await createSpendDataSource({ url: settings.DATABASE_URL, poolSize: 4 }).initialize();
  const connection = await connectNats({ url: settings.NATS_URL, name: 'switchboard-budget' });
  const tracing = startTracing('budget', process.env);
  const namespace = subjectNamespace(settings.SWITCHBOARD_SUBJECT_PREFIX);
  const durableName = 'budget-ledger';
  const metrics = new BudgetMetrics({ connection, stream: streamName(namespace, 'USAGE'), durableName });
  const consumer = new UsageLedgerConsumer(
    connection,
    namespace,
    new SpendLedgerRepository(dataSource),
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
  await consumer.start();
  // Gateways ask for a budget period's spend when its Redis counter is missing (docs/ARCHITECTURE.md D16).
  const periodSpend = new PeriodSpendHandler(
    connection,
    namespace,
    new PeriodSpendService(new SpendPeriodRepository(dataSource), await jetstreamManager(connection), {
      stream: streamName(namespace, 'USAGE'),
      recordedSubject: usageSubjects.recorded(namespace),
      durableName,
      timeoutMs: settings.PERIOD_SPEND_TIMEOUT_MS,
      retentionDays: spendLogRetention(config.generalSettings, settings.SPEND_LOG_RETENTION_DAYS).retentionDays,
    }),
    logger,
  );
  periodSpend.start();
  // Spend reports (`/spend/logs`, `/global/spend/*`, `/spend/tags`, `/spend/calculate`, the management views' totals):
  // a Nest microservice on the bus transport (docs/ARCHITECTURE.md D16).
  const reportsTransport = new NatsBusTransport({ connection, namespace, logger });
  const reports = await NestFactory.createMicroservice(
    SpendReportsModule.create(new SpendReportsService(new SpendReportRepository(dataSource), pricing, { timeoutMs: settings.SPEND_REPORT_TIMEOUT_MS, logger })),
    { strategy: reportsTransport, logger: ['error', 'warn'] },
  );
  await reports.listen();
  // Internal port only, never the health port (docs/metrics.md). A port that cannot be opened costs the metrics,
  // not the ledger: the service keeps recording spend.
  const metricsServer =
    settings.METRICS_PORT === 0
      ? undefined
      : await startMetricsServer(metrics.registry, { port: settings.METRICS_PORT, host: settings.METRICS_HOST, token: settings.METRICS_AUTH_TOKEN }).catch((error: unknown) => {
          logger.error({ err: error, port: settings.METRICS_PORT }, 'metrics endpoint could not be opened; running without it');
          return undefined;
        });
  const ledger = new SpendLedgerRepository(dataSource);
  // LiteLLM's general_settings.maximum_spend_logs_retention_period / _interval win over the environment's SPEND_LOG_RETENTION_DAYS.
  const { retentionDays: retention, intervalMs } = spendLogRetention(config.generalSettings, settings.SPEND_LOG_RETENTION_DAYS);
  const pruneTimer = retention
    ? setInterval(() => {
        ledger
          .deleteOlderThan(new Date(Date.now() - retention * 86_400_000))
          .then((deleted) => deleted && logger.info({ deleted }, 'spend log rows past retention deleted'))
          .catch(() => undefined);
      }, intervalMs)
    : undefined;
  pruneTimer?.unref();
  let draining = false;
  const health = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    const ready = path === '/health/liveliness' || (!draining && !connection.isClosed());
    response.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: ready ? 'connected' : 'unavailable', processed: consumer.processed }));
  }).listen(settings.BUDGET_HEALTH_PORT, settings.BUDGET_HEALTH_HOST);
  logger.info('budget service consuming usage events');

  const shutdown = async () => {
    if (draining) return;
    draining = true;
    clearInterval(pruneTimer);
    storedModels.stop();
    await periodSpend.drain().catch(() => undefined);
    await reportsTransport.drain(5_000).catch(() => undefined);
    await reports.close().catch(() => undefined);
    await consumer.stop().catch(() => undefined);
    await connection.drain().catch(() => undefined);
    await dataSource.destroy().catch(() => undefined);
    await tracing.shutdown().catch(() => undefined);
    health.close();
    metricsServer?.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

main().catch((error: unknown) => {
  process.stderr.write(`switchboard budget failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
