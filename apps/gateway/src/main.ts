import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConfigError, loadConfigFile } from '@switchboard/config';
import { subjectNamespace } from '@switchboard/contracts';
import type { NatsBusClient } from '@switchboard/messaging';
import { NatsBusTransport, connectNats } from '@switchboard/messaging';
import { createLogger, onStopRequest, startTracing } from '@switchboard/observability';
import { BUS_CLIENT } from './bootstrap/tokens';
import { installHttpHooks } from './bootstrap/http-hooks';
import { installJsonBodyParser } from './bootstrap/json-body-parser';
import { chooseMasterKey } from './bootstrap/master-key';
import { parseGatewaySettings } from './gateway-settings.schema';
import { GatewayModule } from './gateway.module';
import { DependencyHealthService } from './health/dependency-health.service';
import { GatewayMetricsService } from './metrics/gateway-metrics.service';
import { inputBoundsFrom } from './http/input-bounds';
import { OpenAiExceptionFilter } from './http/openai-exception.filter';
import { nextRequestId } from './http/request-id';

async function main(): Promise<void> {
  const settings = parseGatewaySettings(process.env);
  const logger = createLogger({ service: 'gateway', level: settings.LOG_LEVEL });
  const config = loadConfigFile(settings.SWITCHBOARD_CONFIG, { environment: process.env });
  for (const warning of config.warnings) logger.warn(warning);
  const masterKey = chooseMasterKey(config, settings);
  if (masterKey.generated) {
    // Printed once, to stdout only, so a first-time user can call the gateway.
    process.stdout.write(`\nNo master key configured: generated one for this run: ${masterKey.key}\n\n`);
  }
  const connection = await connectNats({ url: settings.NATS_URL, name: 'switchboard-gateway', waitOnFirstConnect: false });
  const tracing = startTracing('gateway', process.env);
  const bodyLimit = Math.round(config.generalSettings.maxRequestSizeMb * 1024 * 1024);
  const namespace = subjectNamespace(settings.SWITCHBOARD_SUBJECT_PREFIX);
  const app = await NestFactory.create<NestFastifyApplication>(
    GatewayModule.create({
      settings,
      config,
      namespace,
      connection,
      logger,
      masterKey: masterKey.key,
      tracing,
    }),
    new FastifyAdapter({
      bodyLimit,
      genReqId: nextRequestId,
      requestIdHeader: false,
      logger: false,
      keepAliveTimeout: 65_000,
    }),
    { logger: ['error', 'warn'] },
  );
  let stopping = false;
  installHttpHooks(app.getHttpAdapter().getInstance(), () => stopping);
  installJsonBodyParser(app, bodyLimit, inputBoundsFrom(config.generalSettings));
  app.useGlobalFilters(new OpenAiExceptionFilter(logger));
  // The public NATS API is a Nest microservice of the same application (its own transport, filters and guards).
  app.connectMicroservice({ strategy: new NatsBusTransport({ connection, namespace, requestIdOf: () => nextRequestId(), logger }) });
  await app.startAllMicroservices();
  await app.listen(settings.PORT, settings.HOST);
  await app.get(GatewayMetricsService).start();
  logger.info({ port: settings.PORT, models: config.modelList.length }, 'gateway listening');

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining');
    app.get(DependencyHealthService).startDraining();
    const bus = app.get<NatsBusClient>(BUS_CLIENT);
    const deadline = Date.now() + settings.SHUTDOWN_GRACE_SECONDS * 1000;
    const forceExit = setTimeout(() => process.exit(0), settings.SHUTDOWN_GRACE_SECONDS * 1000 + 5_000);
    forceExit.unref();
    // Readiness now fails and new requests get 503; wait for in-flight replies, then close.
    while (bus.inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await app.close().catch(() => undefined);
    await tracing.shutdown().catch(() => undefined);
    logger.info('stopped');
    process.exit(0);
  };
  onStopRequest((signal) => void shutdown(signal));
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : error instanceof Error ? error.message : String(error);
  process.stderr.write(`switchboard gateway failed to start: ${message}\n`);
  process.exit(1);
});
