import type { INestApplicationContext } from '@nestjs/common';
import { ServiceHealth } from './service-health';

export interface ShutdownLogger {
  info(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

/**
 * Graceful shutdown, the same for every service: on SIGTERM or SIGINT (or its supervisor gone) readiness fails first (so
 * nothing new is routed here), then the service's own drain runs (finish in-flight work within its
 * grace period, flush what must not be lost), then the Nest application closes and the process
 * exits 0. A second signal while draining is ignored; the orchestrator's kill timeout is the bound.
 */
export function shutdownOnSignals(app: INestApplicationContext, logger: ShutdownLogger, drain: () => Promise<void> = async () => undefined): void {
  let draining = false;
  const shutdown = async (signal: string) => {
    if (draining) return;
    draining = true;
    logger.info({ signal }, 'draining');
    app.get(ServiceHealth, { strict: false }).startDraining();
    try {
      await drain();
      await app.close();
    } catch (error) {
      logger.error({ err: error }, 'shutdown did not complete cleanly');
    }
    logger.info({}, 'stopped');
    process.exit(0);
  };
  onStopRequest((signal) => void shutdown(signal));
}

/**
 * Calls `stop` once on SIGTERM, SIGINT or, for a service started by `npm start`'s supervisor (which
 * spawns it with an IPC channel), when that channel closes: the supervisor is gone, even killed with
 * SIGKILL, so the service stops instead of running on as an orphan nobody will stop.
 */
export function onStopRequest(stop: (reason: 'SIGTERM' | 'SIGINT' | 'supervisor gone') => void): void {
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  if (process.channel) {
    process.once('disconnect', () => stop('supervisor gone'));
    // The channel alone must not keep the process alive.
    process.channel.unref();
  }
}
