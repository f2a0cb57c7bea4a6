import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/*
 * The `observability` profile of docker-compose.yml (OpenTelemetry Collector, Jaeger, Prometheus, Grafana), checked
 * without Docker: every file the profile mounts is found through the compose volumes, parsed, and checked against
 * what the apps really do (the metrics ports of their settings schemas, the OTLP endpoint .env.example documents).
 * The whole file against the Compose schema is compose-schema.spec.ts. Each check returns the problems it finds, so
 * the tests can show it catching a broken copy.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const readText = (path: string) => readFileSync(join(root, path), 'utf8');
const readYaml = <T>(path: string) => parse(readText(path), { merge: true }) as T;

interface Service {
  image?: string;
  build?: { dockerfile?: string; args?: Record<string, string> };
  profiles?: string[];
  command?: string[];
  environment?: Record<string, string | null>;
  env_file?: Array<string | { path: string }>;
  volumes?: string[];
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}
interface Compose { services: Record<string, Service> }
interface ScrapeConfig {
  job_name: string;
  metrics_path?: string;
  static_configs?: Array<{ targets: string[] }>;
  dns_sd_configs?: Array<{ names: string[]; type?: string; port?: number }>;
}
interface PrometheusConfig { scrape_configs: ScrapeConfig[] }
type Pipeline = Partial<Record<'receivers' | 'processors' | 'exporters', string[]>>;
type Components = Record<string, Record<string, unknown> | null>;
interface CollectorConfig {
  receivers: Components;
  processors?: Components;
  exporters: Components;
  extensions?: Components;
  service: { extensions?: string[]; pipelines: Record<string, Pipeline> };
}
interface Datasource { name: string; uid?: string; type: string; url?: string; isDefault?: boolean }
interface DashboardProvider { name: string; type: string; options: { path: string } }
interface DatasourceVariable { name: string; type: string; query?: string; current?: { value?: string } }
interface Dashboard { templating?: { list: DatasourceVariable[] } }

const observability = ['otel-collector', 'jaeger', 'prometheus', 'grafana'];
const readCompose = () => readYaml<Compose>('docker-compose.yml');
const dashboardPath = 'deploy/grafana/switchboard-dashboard.json';

/** The repository path a service mounts at `containerPath` (compose short syntax `./host:/container[:ro]`). */
function hostPathOf(service: Service, containerPath: string): string | undefined {
  for (const volume of service.volumes ?? []) {
    const [source, target] = volume.split(':');
    if (!source.startsWith('.')) continue;
    if (containerPath === target) return posix.normalize(source);
    if (containerPath.startsWith(`${target}/`)) return posix.join(source, containerPath.slice(target.length + 1));
  }
  return undefined;
}
const published = (service: Service) => (service.ports ?? []).map((port) => Number(port.split(':').at(-1)));
const hostAndPort = (endpoint: string) => {
  const url = new URL(endpoint.includes('://') ? endpoint : `tcp://${endpoint}`);
  return { host: url.hostname, port: Number(url.port) };
};

/** The metrics port a compose service's app opens: METRICS_PORT from its environment, else its settings schema's default. */
function metricsPortOf(service: Service | undefined): number | undefined {
  const app = service?.build?.args?.APP;
  const schemaPath = `apps/${app}/src/${app}-settings.schema.ts`;
  if (!app || !existsSync(join(root, schemaPath))) return undefined;
  const declared = readText(schemaPath).match(/^\s+METRICS_PORT: z\.[^\n]*\.default\((\d+)\)/m);
  if (!declared) return undefined;
  return Number(service?.environment?.METRICS_PORT ?? declared[1]);
}

function scrapeProblems(compose: Compose, config: PrometheusConfig): string[] {
  const problems: string[] = [];
  const scraped = new Set<string>();
  for (const job of config.scrape_configs) {
    if ((job.metrics_path ?? '/metrics') !== '/metrics') problems.push(`${job.job_name}: metrics_path ${job.metrics_path}`);
    const targets = [
      ...(job.static_configs ?? []).flatMap((static_) => static_.targets.map(hostAndPort)),
      ...(job.dns_sd_configs ?? []).flatMap((dns) => dns.names.map((host) => ({ host, port: Number(dns.port) }))),
    ];
    for (const { host, port } of targets) {
      const service = compose.services[host];
      const opened = metricsPortOf(service);
      if (!service) problems.push(`${job.job_name}: ${host} is not a compose service`);
      else if (opened !== port) problems.push(`${job.job_name}: scrapes ${host}:${port}, but ${host} serves metrics on ${opened ?? 'no port'}`);
      else scraped.add(host);
    }
  }
  for (const [name, service] of Object.entries(compose.services)) {
    const port = metricsPortOf(service);
    if (port && !scraped.has(name)) problems.push(`${name} serves metrics on ${port}, but nothing scrapes it`);
  }
  return problems;
}

function collectorProblems(compose: Compose, config: CollectorConfig): string[] {
  const problems: string[] = [];
  for (const [name, pipeline] of Object.entries(config.service.pipelines)) {
    for (const kind of ['receivers', 'processors', 'exporters'] as const) {
      for (const component of pipeline[kind] ?? []) {
        if (!(component in (config[kind] ?? {}))) problems.push(`pipeline ${name} uses ${kind} ${component}, which is not defined`);
      }
    }
    if (!pipeline.receivers?.length || !pipeline.exporters?.length) problems.push(`pipeline ${name} needs a receiver and an exporter`);
  }
  for (const extension of config.service.extensions ?? []) {
    if (!(extension in (config.extensions ?? {}))) problems.push(`extension ${extension} is not defined`);
  }
  // Jaeger all-in-one takes OTLP/gRPC on 4317 and OTLP/HTTP on 4318.
  const jaegerPorts: Record<string, number> = { otlp: 4317, otlphttp: 4318 };
  const toJaeger = (config.service.pipelines.traces?.exporters ?? []).filter((name) => {
    const endpoint = (config.exporters[name] as { endpoint?: string } | null)?.endpoint;
    if (!endpoint) return false;
    const { host, port } = hostAndPort(endpoint);
    return host === 'jaeger' && port === jaegerPorts[name.split('/')[0]];
  });
  if (!toJaeger.length) problems.push('the traces pipeline does not export to jaeger over OTLP');
  if (!compose.services.jaeger?.image?.startsWith('jaegertracing/')) problems.push('no jaeger service');
  return problems;
}

/** What Grafana loads, through the compose mounts: its data sources, and the dashboard files its providers read. */
function grafanaProvisioning(compose: Compose) {
  const grafana = compose.services.grafana;
  const provisioning = hostPathOf(grafana, '/etc/grafana/provisioning') ?? '';
  const yamlFiles = (kind: string) => {
    const directory = join(root, provisioning, kind);
    return existsSync(directory) ? readdirSync(directory).filter((file) => /\.ya?ml$/.test(file)).map((file) => posix.join(provisioning, kind, file)) : [];
  };
  const datasources = yamlFiles('datasources').flatMap((file) => readYaml<{ datasources: Datasource[] }>(file).datasources);
  const providers = yamlFiles('dashboards').flatMap((file) => readYaml<{ providers: DashboardProvider[] }>(file).providers);
  const dashboardFiles = providers.flatMap((provider) => {
    const directory = hostPathOf(grafana, provider.options.path);
    return directory && existsSync(join(root, directory)) ? readdirSync(join(root, directory)).filter((file) => file.endsWith('.json')).map((file) => posix.join(directory, file)) : [];
  });
  return { datasources, providers, dashboardFiles };
}

/** Every data source reference in a dashboard, resolved as Grafana would; returns the uids used and the problems. */
function dashboardDatasources(dashboard: Dashboard, datasources: Datasource[]) {
  const references: Array<{ type?: string; uid?: string } | string> = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'datasource' && value != null) references.push(value as { type?: string; uid?: string } | string);
        else walk(value);
      }
    }
  };
  walk(dashboard);
  const problems: string[] = [];
  const used = new Set<string>();
  for (const reference of references) {
    const { type, uid } = typeof reference === 'string' ? { type: undefined, uid: datasources.find((source) => source.name === reference)?.uid ?? reference } : reference;
    const variableName = uid?.match(/^\$\{?(\w+)\}?$/)?.[1];
    let resolved = uid;
    if (variableName) {
      const variable = dashboard.templating?.list.find((candidate) => candidate.name === variableName);
      if (variable?.type !== 'datasource') {
        problems.push(`\${${variableName}} is not a datasource variable`);
        continue;
      }
      // A datasource variable with no saved value starts on the default data source of its type.
      resolved = variable.current?.value ?? datasources.find((source) => source.type === variable.query && source.isDefault)?.uid;
    }
    const source = datasources.find((candidate) => candidate.uid === resolved);
    if (!source) problems.push(`a panel queries data source ${uid}${variableName ? ` (resolving to ${resolved})` : ''}, which is not provisioned`);
    else if (type && source.type !== type) problems.push(`a panel expects a ${type} data source, ${resolved} is ${source.type}`);
    else used.add(source.uid ?? '');
  }
  return { used, problems, references: references.length };
}

describe('docker-compose.yml, the observability profile', () => {
  const compose = readCompose();

  it('adds the collector, Jaeger, Prometheus and Grafana in that profile only, with pinned images', () => {
    for (const name of observability) {
      const service = compose.services[name];
      expect(service?.profiles, name).toEqual(['observability']);
      expect(service.image, name).toMatch(/^[a-z0-9./-]+:v?\d+\.\d+\.\d+$/);
    }
    for (const [name, service] of Object.entries(compose.services).filter(([name]) => !observability.includes(name))) {
      expect(service.profiles, `${name} must start without a profile`).toBeUndefined();
      // compose refuses to start a core service whose dependency sits in a profile that is not enabled.
      for (const dependency of Object.keys(service.depends_on ?? {})) expect(observability, `${name} depends on ${dependency}`).not.toContain(dependency);
    }
  });

  it('publishes the UIs, with a health check wherever the image has a tool to run one', () => {
    expect(published(compose.services.jaeger)).toContain(16686);
    expect(published(compose.services.prometheus)).toContain(9090);
    expect(published(compose.services.grafana)).toContain(3000);
    for (const name of ['jaeger', 'prometheus', 'grafana']) expect(compose.services[name].healthcheck?.test.join(' '), name).toMatch(/^CMD wget .*http:\/\/127\.0\.0\.1:\d+\//);
    expect(compose.services.jaeger.environment?.COLLECTOR_OTLP_ENABLED).toBe('true');
    expect(compose.services.grafana.environment).toMatchObject({ GF_AUTH_ANONYMOUS_ENABLED: 'true', GF_AUTH_ANONYMOUS_ORG_ROLE: 'Viewer' });
  });
});

describe('Prometheus (deploy/observability/prometheus.yml)', () => {
  const compose = readCompose();
  const configPath = hostPathOf(compose.services.prometheus, '/etc/prometheus/prometheus.yml') ?? '';
  const config = () => readYaml<PrometheusConfig>(configPath);

  it('is the file compose mounts', () => {
    expect(configPath).toBe('deploy/observability/prometheus.yml');
  });

  it("scrapes every compose service that serves metrics, on the port its app's settings schema opens", () => {
    expect(metricsPortOf(compose.services.gateway)).toBeGreaterThan(0);
    expect(metricsPortOf(compose.services['worker-default'])).toBeGreaterThan(0);
    const ports = ['gateway', 'worker-default', 'budget', 'logging'].map((name) => metricsPortOf(compose.services[name]));
    for (const port of ports) expect(port).toBeGreaterThan(0);
    expect(new Set(ports).size).toBe(ports.length);
    expect(scrapeProblems(compose, config())).toEqual([]);
  });

  it.each([
    ['a wrong port', (broken: PrometheusConfig) => (broken.scrape_configs[1].dns_sd_configs = [{ names: ['worker-default'], type: 'A', port: 9464 }]), 'scrapes worker-default:9464, but worker-default serves metrics on 9465'],
    ['a service without metrics', (broken: PrometheusConfig) => (broken.scrape_configs[0].static_configs = [{ targets: ['auth:9464'] }]), 'scrapes auth:9464, but auth serves metrics on no port'],
    ['a forgotten budget service', (broken: PrometheusConfig) => (broken.scrape_configs = broken.scrape_configs.filter((job) => job.job_name !== 'switchboard-budget')), 'budget serves metrics on 9466, but nothing scrapes it'],
    ['a name that is no service', (broken: PrometheusConfig) => (broken.scrape_configs[0].static_configs = [{ targets: ['switchboard-gateway:9464'] }]), 'switchboard-gateway is not a compose service'],
    ['a forgotten worker', (broken: PrometheusConfig) => broken.scrape_configs.splice(1, 1), 'worker-default serves metrics on 9465, but nothing scrapes it'],
  ])('catches %s', (_case, mutate, expected) => {
    const broken = config();
    mutate(broken);
    expect(scrapeProblems(compose, broken).join('\n')).toContain(expected);
  });
});

describe('the OpenTelemetry Collector (deploy/observability/otel-collector.yaml)', () => {
  const compose = readCompose();
  const collector = compose.services['otel-collector'];
  const configFlag = collector.command?.find((argument) => argument.startsWith('--config='))?.slice('--config='.length) ?? '';
  const configPath = hostPathOf(collector, configFlag) ?? '';
  const config = () => readYaml<CollectorConfig>(configPath);

  it('is the file compose mounts and passes with --config', () => {
    expect(configPath).toBe('deploy/observability/otel-collector.yaml');
  });

  it('parses, its pipelines use only components it defines, and traces go to jaeger', () => {
    expect(Object.keys(config().service.pipelines)).toContain('traces');
    expect(collectorProblems(compose, config())).toEqual([]);
  });

  it.each([
    ['an undefined exporter', (broken: CollectorConfig) => (broken.service.pipelines.traces.exporters = ['otlp/jaegr']), 'pipeline traces uses exporters otlp/jaegr, which is not defined'],
    ['an undefined processor', (broken: CollectorConfig) => (broken.service.pipelines.logs.processors = ['batch', 'resource']), 'pipeline logs uses processors resource, which is not defined'],
    ['traces sent elsewhere', (broken: CollectorConfig) => (broken.service.pipelines.traces.exporters = ['debug']), 'the traces pipeline does not export to jaeger over OTLP'],
    ['the wrong Jaeger port', (broken: CollectorConfig) => ((broken.exporters['otlp/jaeger'] as { endpoint: string }).endpoint = 'jaeger:14250'), 'the traces pipeline does not export to jaeger over OTLP'],
  ])('catches %s', (_case, mutate, expected) => {
    const broken = config();
    mutate(broken);
    expect(collectorProblems(compose, broken)).toContain(expected);
  });

  it('receives OTLP/HTTP where .env.example tells the apps to send it, from every Switchboard service', () => {
    const documented = readText('.env.example').match(/^#?\s*OTEL_EXPORTER_OTLP_ENDPOINT=(\S+)$/m)?.[1] ?? '';
    const { host, port } = hostAndPort(documented);
    expect(host).toBe('otel-collector');
    const http = (config().receivers.otlp as { protocols: { http: { endpoint: string } } }).protocols.http;
    expect(http.endpoint).toBe(`0.0.0.0:${port}`);
    expect(published(collector)).toContain(port);
    // The endpoint reaches the apps through .env. An empty value would not mean "off" everywhere: the logging
    // service's settings schema refuses OTEL_EXPORTER_OTLP_ENDPOINT="" as an invalid URL.
    for (const [name, service] of Object.entries(compose.services).filter(([, service]) => service.build?.dockerfile === 'deploy/Dockerfile')) {
      expect(service.env_file?.map((file) => (typeof file === 'string' ? file : file.path)), name).toContain('.env');
      const value = service.environment?.OTEL_EXPORTER_OTLP_ENDPOINT;
      if (value !== undefined) expect(value ?? '', `${name} may get an empty OTEL_EXPORTER_OTLP_ENDPOINT`).not.toMatch(/^$|^\$\{\w+:?-?\}$/);
    }
  });
});

describe('Grafana (deploy/observability/grafana)', () => {
  const compose = readCompose();
  const dashboard = JSON.parse(readText(dashboardPath)) as Dashboard;

  it("loads deploy/grafana/switchboard-dashboard.json and makes it the home page", () => {
    const { providers, dashboardFiles } = grafanaProvisioning(compose);
    expect(providers.map((provider) => provider.type)).toEqual(['file']);
    expect(dashboardFiles).toEqual([dashboardPath]);
    const home = compose.services.grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ?? '';
    expect(hostPathOf(compose.services.grafana, home)).toBe(dashboardPath);
  });

  it('provisions the Prometheus of the profile with a fixed uid, and every panel of the dashboard resolves to it', () => {
    const { datasources } = grafanaProvisioning(compose);
    const prometheus = datasources.find((source) => source.type === 'prometheus');
    expect(prometheus).toMatchObject({ uid: 'switchboard-prometheus', isDefault: true });
    const { host, port } = hostAndPort(prometheus?.url ?? '');
    expect(compose.services[host]?.image).toMatch(/^prom\/prometheus:/);
    expect(published(compose.services[host])).toContain(port);
    const { used, problems, references } = dashboardDatasources(dashboard, datasources);
    expect(references).toBeGreaterThan(5);
    expect(problems).toEqual([]);
    expect([...used]).toEqual(['switchboard-prometheus']);
  });

  it.each([
    ['a panel pinned to another uid', (sources: Datasource[], board: Dashboard) => (((board as { panels: Array<{ datasource: unknown }> }).panels[0].datasource = { type: 'prometheus', uid: 'grafanacloud-prom' }), sources), 'data source grafanacloud-prom, which is not provisioned'],
    ['no default Prometheus for the variable', (sources: Datasource[]) => sources.map((source) => ({ ...source, isDefault: false })), 'resolving to undefined'],
    ['a datasource variable of another type', (sources: Datasource[], board: Dashboard) => ((board.templating?.list ?? []).forEach((variable) => (variable.query = 'loki')), sources), 'resolving to undefined'],
  ])('catches %s', (_case, mutate, expected) => {
    const board = structuredClone(dashboard);
    const sources = mutate(structuredClone(grafanaProvisioning(compose).datasources), board);
    expect(dashboardDatasources(board, sources).problems.join('\n')).toContain(expected);
  });
});

describe('deploy/README.md', () => {
  it('documents how to start the profile, its URLs and the .env line', () => {
    const readme = readText('deploy/README.md');
    expect(readme).toContain('docker compose --profile observability up');
    for (const port of [16686, 9090, 3000]) expect(readme).toContain(`http://localhost:${port}`);
    expect(readme).toContain('OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-collector:4318');
  });
});
