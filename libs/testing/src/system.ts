import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Isolation } from './isolation';
import type { ServiceProcess } from './service-process';
import { freePort, runMigrations, startApp, waitUntilReady } from './service-process';

export interface WorkerOptions {
  /** `WORKER_PROVIDERS`; empty for every provider. */
  providers?: string;
  environment?: Record<string, string>;
}

export interface SystemOptions {
  isolation: Isolation;
  /** The config file's YAML text. */
  config: string;
  masterKey?: string;
  workers?: WorkerOptions[];
  gatewayEnvironment?: Record<string, string>;
  /** Also run the budget service (usage events into the spend ledger). */
  budget?: boolean;
  budgetEnvironment?: Record<string, string>;
  /** Also run the logging service (callbacks), with this environment. */
  logging?: Record<string, string>;
  /** Run the auth service (virtual keys, management API); on unless `false`. */
  auth?: boolean;
  authEnvironment?: Record<string, string>;
}

export interface RunningSystem {
  baseUrl: string;
  /** Prometheus endpoints of the first gateway and of each worker. */
  gatewayMetricsUrl: string;
  workerMetricsUrls: string[];
  masterKey: string;
  configPath: string;
  gateway: ServiceProcess;
  workers: ServiceProcess[];
  /** The auth service, when it runs. */
  auth?: ServiceProcess;
  /** Starts a new auth service process (after a test stopped it); true once it is ready. */
  restartAuth(): Promise<boolean>;
  /** Every process this system started, stopped ones included (their logs stay readable). */
  processes: ServiceProcess[];
  startWorker(options?: WorkerOptions): Promise<ServiceProcess>;
  startGateway(environment?: Record<string, string>): Promise<{ baseUrl: string; process: ServiceProcess; metricsUrl: string }>;
  stop(): Promise<void>;
}

/** Starts the gateway and workers as separate processes against the isolation's services. */
export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const directory = mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  const configPath = join(directory, 'config.yaml');
  writeFileSync(configPath, options.config);
  const masterKey = options.masterKey ?? 'sk-test-master-key';
  const common = { ...options.isolation.environment, SWITCHBOARD_CONFIG: configPath, SHUTDOWN_GRACE_SECONDS: '5' };
  const processes: ServiceProcess[] = [];
  const workers: ServiceProcess[] = [];
  const workerMetricsUrls: string[] = [];

  const startWorker = async (worker: WorkerOptions = {}) => {
    const port = await freePort();
    const metricsPort = await freePort();
    workerMetricsUrls.push(`http://127.0.0.1:${metricsPort}/metrics`);
    const service = startApp('worker', `worker-${workers.length}`, {
      ...common,
      METRICS_PORT: String(metricsPort),
      WORKER_PROVIDERS: worker.providers ?? '',
      WORKER_HEALTH_PORT: String(port),
      WORKER_HEALTH_HOST: '127.0.0.1',
      ...worker.environment,
    });
    processes.push(service);
    workers.push(service);
    await waitUntilReady(`http://127.0.0.1:${port}/health/readiness`, service);
    return service;
  };

  const startGateway = async (environment: Record<string, string> = {}) => {
    const port = await freePort();
    const metricsPort = await freePort();
    const service = startApp('gateway', `gateway-${processes.length}`, {
      ...common,
      METRICS_PORT: String(metricsPort),
      PORT: String(port),
      HOST: '127.0.0.1',
      MASTER_KEY: masterKey,
      ...options.gatewayEnvironment,
      ...environment,
    });
    processes.push(service);
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitUntilReady(`${baseUrl}/health/readiness`, service);
    return { baseUrl, process: service, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` };
  };

  try {
    if (!options.isolation.migrated) await runMigrations(options.isolation.environment);
    let auth: ServiceProcess | undefined;
    let authPort = 0;
    const launchAuth = async () => {
      authPort = await freePort();
      auth = startApp('auth', `auth-${processes.length}`, { ...common, AUTH_HEALTH_PORT: String(authPort), AUTH_HEALTH_HOST: '127.0.0.1', ...options.authEnvironment });
      processes.push(auth);
      return auth;
    };
    if (options.auth !== false) await launchAuth();
    for (const worker of options.workers ?? [{}]) await startWorker(worker);
    if (auth) await waitUntilReady(`http://127.0.0.1:${authPort}/health/readiness`, auth);
    if (options.budget) {
      const port = await freePort();
      const budget = startApp('budget', 'budget', { ...common, BUDGET_HEALTH_PORT: String(port), BUDGET_HEALTH_HOST: '127.0.0.1', METRICS_PORT: String(await freePort()), METRICS_HOST: '127.0.0.1', ...options.budgetEnvironment });
      processes.push(budget);
      await waitUntilReady(`http://127.0.0.1:${port}/health/readiness`, budget);
    }
    if (options.logging) {
      const port = await freePort();
      const logging = startApp('logging', 'logging', { ...common, LOGGING_HEALTH_PORT: String(port), LOGGING_HEALTH_HOST: '127.0.0.1', METRICS_PORT: String(await freePort()), METRICS_HOST: '127.0.0.1', ...options.logging });
      processes.push(logging);
      await waitUntilReady(`http://127.0.0.1:${port}/health/readiness`, logging);
    }
    const gateway = await startGateway();
    return {
      baseUrl: gateway.baseUrl,
      gatewayMetricsUrl: gateway.metricsUrl,
      workerMetricsUrls,
      masterKey,
      configPath,
      gateway: gateway.process,
      workers,
      get auth() {
        return auth;
      },
      processes,
      restartAuth: async () => {
        const service = await launchAuth();
        await waitUntilReady(`http://127.0.0.1:${authPort}/health/readiness`, service);
        return service.running;
      },
      startWorker,
      startGateway,
      stop: async () => {
        await Promise.all(processes.map((service) => service.stop()));
      },
    };
  } catch (error) {
    await Promise.all(processes.map((service) => service.stop('SIGKILL')));
    throw error;
  }
}
