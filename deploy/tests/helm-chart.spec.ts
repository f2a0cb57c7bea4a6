import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import type { ErrorObject } from 'ajv';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

/*
 * The Helm chart, checked without Helm: no Go-template + Sprig renderer exists for Node (deploy/README.md), so the
 * values are checked against values.schema.json as Helm would, and the rendered examples (examples/rendered/*.yaml,
 * the output of `helm template` for each examples/*.yaml) are parsed, validated against the Kubernetes schemas and
 * checked for what a user would notice.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const chartDirectory = join(root, 'helm', 'switchboard');
const templatesDirectory = join(chartDirectory, 'templates');
const examplesDirectory = join(chartDirectory, 'examples');
const readText = (...path: string[]) => readFileSync(join(...path), 'utf8');

type Values = Record<string, unknown>;
interface EnvVar { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string }; fieldRef?: unknown } }
interface Probe { httpGet?: { path: string; port: string | number } }
interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: EnvVar[];
  envFrom?: Array<{ secretRef?: { name: string }; configMapRef?: { name: string } }>;
  ports?: Array<{ name?: string; containerPort: number }>;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  securityContext?: Record<string, unknown> & { capabilities?: { drop?: string[] } };
  volumeMounts?: Array<{ name: string; mountPath: string }>;
}
interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    containers: Container[];
    securityContext?: Record<string, unknown>;
    terminationGracePeriodSeconds?: number;
    restartPolicy?: string;
    volumes?: Array<{ name: string; emptyDir?: unknown; configMap?: { name: string } }>;
  };
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown> & { selector?: { matchLabels?: Record<string, string> } | Record<string, string>; template?: PodTemplate };
  data?: Record<string, string>;
}
interface WorkerPool { name: string; providers: string[]; environmentSecrets?: string[]; autoscaling?: { enabled?: boolean } }

const isMap = (value: unknown): value is Values => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Helm's coalescing of a values file over values.yaml: maps merge key by key, lists and scalars replace, null deletes. */
function coalesce(base: Values, override: Values): Values {
  const result: Values = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === null) delete result[key];
    else if (isMap(value) && isMap(result[key])) result[key] = coalesce(result[key] as Values, value);
    else result[key] = value;
  }
  return result;
}

const schema = JSON.parse(readText(chartDirectory, 'values.schema.json')) as Values;
// strict: a schema keyword Helm would ignore (a typo, a type missing from a pattern) fails here instead.
const validateValues = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
const describeError = (error: ErrorObject) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`;
function schemaErrors(values: Values): string[] {
  return validateValues(values) ? [] : (validateValues.errors ?? []).map(describeError);
}

const defaults = parse(readText(chartDirectory, 'values.yaml')) as Values;
const exampleNames = readdirSync(examplesDirectory).filter((file) => file.endsWith('.yaml')).map((file) => file.replace(/\.yaml$/, ''));
const exampleValues = (name: string) => coalesce(defaults, parse(readText(examplesDirectory, `${name}.yaml`)) as Values);
const renderedText = (name: string) => readText(examplesDirectory, 'rendered', `${name}.yaml`);
const rendered = (name: string) => parseAllDocuments(renderedText(name)).map((document) => document.toJS() as Manifest);

const templateFiles = readdirSync(templatesDirectory);

describe('values.schema.json', () => {
  it('is a draft-07 schema that refuses unknown top-level keys', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.additionalProperties).toBe(false);
  });

  it('accepts values.yaml', () => {
    expect(schemaErrors(defaults)).toEqual([]);
  });

  it.each(exampleNames)('accepts examples/%s.yaml over values.yaml, as Helm validates it', (name) => {
    expect(schemaErrors(exampleValues(name))).toEqual([]);
  });

  const model = (params: Values) => ({ model_list: [{ model_name: 'gpt-4o', litellm_params: { model: 'openai/gpt-4o', ...params } }] });
  it.each([
    ['a pull policy Kubernetes does not know', { image: { pullPolicy: 'Sometimes' } }, '/image/pullPolicy must be equal to one of the allowed values'],
    ['an unknown top-level key', { replicaCount: 3 }, '"additionalProperty":"replicaCount"'],
    ["LiteLLM's inline master key", { masterkey: 'sk-1234' }, '"additionalProperty":"masterkey"'],
    ['an unknown gateway key', { gateway: { replicas: 3 } }, '/gateway must NOT have additional properties {"additionalProperty":"replicas"}'],
    ['negative worker replicas', { workers: [{ name: 'openai', providers: ['openai'], replicas: -1 }] }, '/workers/0/replicas must be >= 1'],
    ['a worker pool without providers', { workers: [{ name: 'openai' }] }, "/workers/0 must have required property 'providers'"],
    ['a worker pool name that is not a DNS label', { workers: [{ name: 'OpenAI', providers: ['openai'] }] }, '/workers/0/name must match pattern'],
    ['an inline provider key in the config', { config: model({ api_key: 'sk-live-0123456789' }) }, '/config/model_list/0/litellm_params/api_key must match pattern "^os\\.environ/'],
    ['an inline master key in the config', { config: { ...model({}), general_settings: { master_key: 'sk-1234' } } }, '/config/general_settings/master_key must match pattern'],
    ['environment_variables in the config', { config: { ...model({}), environment_variables: { OPENAI_API_KEY: 'sk-1' } } }, '/config/environment_variables must NOT be valid'],
    ['a credential in envVars', { envVars: { OPENAI_API_KEY: 'sk-live-0123456789' } }, '/envVars property name must be valid {"propertyName":"OPENAI_API_KEY"}'],
    ['a credential as a literal extraEnvVars value', { extraEnvVars: [{ name: 'ANTHROPIC_API_KEY', value: 'sk-ant-1' }] }, '/extraEnvVars/0/value boolean schema is false'],
    ['a password in the Redis URL', { redis: { url: 'redis://:hunter2@redis:6379' } }, '/redis/url must match pattern'],
    ['an inline password for the bundled PostgreSQL', { postgresql: { auth: { password: 'hunter2' } } }, '/postgresql/auth/password must be equal to constant'],
    ['a dot in the subject prefix', { subjectPrefix: 'sb.prod' }, '/subjectPrefix must match pattern'],
    ['a usage stream with more replicas than JetStream allows', { usageStream: { replicas: 7 } }, '/usageStream/replicas must be <= 5'],
  ])('refuses %s, naming the field', (_case, override, expected) => {
    const errors = schemaErrors(coalesce(defaults, override as Values));
    expect(errors.join('\n')).toContain(expected);
  });

  it.each([
    ['a credential from a Secret in extraEnvVars', { extraEnvVars: [{ name: 'ANTHROPIC_API_KEY', valueFrom: { secretKeyRef: { name: 'keys', key: 'anthropic' } } }] }],
    ['plain settings in envVars', { envVars: { REDIS_COMMAND_TIMEOUT_MS: 150, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' } }],
    ['an os.environ reference in the config', { config: model({ api_key: 'os.environ/OPENAI_API_KEY' }) }],
    ['values for the NATS dependency chart', { nats: { enabled: true, config: { jetstream: { enabled: true } } } }],
  ])('accepts %s', (_case, override) => {
    expect(schemaErrors(coalesce(defaults, override as Values))).toEqual([]);
  });
});

describe('Chart.yaml and the templates', () => {
  const chart = parse(readText(chartDirectory, 'Chart.yaml')) as { apiVersion: string; name: string; version: string; appVersion: string; dependencies: Array<{ name: string; condition: string }> };

  it('is a v2 chart of the app version, whose dependencies are off unless enabled', () => {
    expect(chart).toMatchObject({ apiVersion: 'v2', name: 'switchboard', appVersion: '0.1.0' });
    expect(chart.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(chart.dependencies.map((dependency) => dependency.name).sort()).toEqual(['nats', 'postgresql', 'redis']);
    for (const dependency of chart.dependencies) {
      const [key, flag] = dependency.condition.split('.');
      expect((defaults[key] as Values)[flag], dependency.condition).toBe(false);
    }
  });

  it('references only templates and named templates that exist', () => {
    const sources = templateFiles.map((file) => readText(templatesDirectory, file)).join('\n');
    const defined = new Set([...sources.matchAll(/define "([^"]+)"/g)].map((match) => match[1]));
    for (const [, name] of sources.matchAll(/(?:include|template) "([^"]+)"/g)) expect(defined, `named template ${name}`).toContain(name);
    for (const [, file] of sources.matchAll(/\.Template\.BasePath "\/([^"]+)"/g)) expect(templateFiles).toContain(file);
    for (const name of exampleNames) {
      for (const [, file] of renderedText(name).matchAll(/^# Source: switchboard\/templates\/(.+)$/gm)) expect(templateFiles, `rendered/${name}.yaml`).toContain(file);
    }
  });

  it('reads only values that values.schema.json declares', () => {
    const declared = (path: string[]): boolean => {
      let node = schema;
      for (const key of path) {
        const properties = node.properties as Record<string, Values> | undefined;
        if (!properties?.[key]) return node.additionalProperties !== false && node.type === 'object' && node.properties !== undefined;
        node = properties[key];
        if (typeof node.$ref === 'string') node = (schema.definitions as Record<string, Values>)[node.$ref.split('/').pop() as string];
      }
      return true;
    };
    const sources = templateFiles.map((file) => readText(templatesDirectory, file)).join('\n');
    const paths = new Set([...sources.matchAll(/\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)].map((match) => match[1].slice(1)));
    expect(paths.size).toBeGreaterThan(30);
    for (const path of paths) expect(declared(path.split('.')), `.Values.${path}`).toBe(true);
  });

  it('has a rendered manifest for every example, and the examples render every template', () => {
    const renderedTemplates = new Set<string>();
    for (const name of exampleNames) {
      expect(existsSync(join(examplesDirectory, 'rendered', `${name}.yaml`)), `examples/rendered/${name}.yaml`).toBe(true);
      for (const [, file] of renderedText(name).matchAll(/^# Source: switchboard\/templates\/(.+)$/gm)) renderedTemplates.add(file);
    }
    expect(exampleNames.length).toBeGreaterThanOrEqual(2);
    const manifests = templateFiles.filter((file) => file.endsWith('.yaml'));
    expect(manifests.filter((file) => !renderedTemplates.has(file))).toEqual([]);
  });

  it('documents every top-level value in the chart README', () => {
    const readme = readText(chartDirectory, 'README.md');
    for (const key of Object.keys(defaults)) expect(readme, key).toContain(`\`${key}`);
  });
});

type ModelClass = new (data: never) => { validate(): void };
const models: Record<string, ModelClass> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
};
const validateManifest = (manifest: Manifest) => {
  const Model = models[`${manifest.apiVersion}/${manifest.kind}`];
  if (!Model) throw new Error(`no model for ${manifest.apiVersion} ${manifest.kind}`);
  new Model(manifest as never).validate();
};
const matches = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([key, value]) => labels[key] === value);
const envOf = (container: Container) => new Map((container.env ?? []).map((variable) => [variable.name, variable]));
const settingsSchema = (app: string) => readText(root, 'apps', app, 'src', `${app}-settings.schema.ts`);
const credentialName = /(API_KEY|SECRET|TOKEN|PASSWORD|CREDENTIAL|MASTER_KEY|SALT_KEY|ACCESS_KEY|DATABASE_URL)/;

describe('the Kubernetes validation', () => {
  it('catches a broken manifest (the check is live)', () => {
    const [deployment] = rendered('minimal').filter((manifest) => manifest.kind === 'Deployment');
    const broken = structuredClone(deployment);
    (broken.spec?.template as PodTemplate).spec.containers[0].ports = [{ containerPort: '4000' as unknown as number }];
    expect(() => validateManifest(broken)).toThrow(/containerPort must be integer/);
  });
});

describe.each(exampleNames)('examples/rendered/%s.yaml', (name) => {
  const values = exampleValues(name);
  const manifests = rendered(name);
  const ofKind = (kind: string) => manifests.filter((manifest) => manifest.kind === kind);
  const deployments = ofKind('Deployment');
  const pods = [...deployments, ...ofKind('Job')].map((manifest) => ({ name: manifest.metadata.name, template: manifest.spec?.template as PodTemplate }));
  const named = (kind: string, resource: string) => {
    const found = ofKind(kind).find((manifest) => manifest.metadata.name === resource);
    if (!found) throw new Error(`no ${kind} ${resource}`);
    return found;
  };
  const workers = values.workers as WorkerPool[];
  const gateway = (named('Deployment', 'switchboard-gateway').spec?.template as PodTemplate).spec;
  const gatewayContainer = gateway.containers[0];

  it('parses, and every manifest validates against its Kubernetes schema', () => {
    for (const document of parseAllDocuments(renderedText(name))) expect(document.errors).toEqual([]);
    expect(manifests.length).toBeGreaterThan(8);
    for (const manifest of manifests) expect(() => validateManifest(manifest), `${manifest.kind} ${manifest.metadata.name}`).not.toThrow();
  });

  it('runs one worker Deployment per pool, serving its providers with its own credentials', () => {
    const workerDeployments = deployments.filter((manifest) => manifest.metadata.labels?.['app.kubernetes.io/component'] === 'worker');
    expect(workerDeployments.map((manifest) => manifest.metadata.name).sort()).toEqual(workers.map((pool) => `switchboard-worker-${pool.name}`).sort());
    for (const pool of workers) {
      const container = (named('Deployment', `switchboard-worker-${pool.name}`).spec?.template as PodTemplate).spec.containers[0];
      expect(envOf(container).get('WORKER_PROVIDERS')?.value).toBe(pool.providers.join(','));
      expect(container.args?.at(-1)).toBe('dist/apps/worker/main.js');
      const secrets = (container.envFrom ?? []).map((source) => source.secretRef?.name);
      expect(secrets).toEqual(expect.arrayContaining(pool.environmentSecrets ?? []));
      // A pool's credentials stay in its own pods (ARCHITECTURE.md D3).
      for (const other of workers.filter((candidate) => candidate.name !== pool.name)) {
        for (const secret of other.environmentSecrets ?? []) if (!(pool.environmentSecrets ?? []).includes(secret)) expect(secrets).not.toContain(secret);
      }
      for (const secret of pool.environmentSecrets ?? []) expect(gatewayContainer.envFrom?.map((source) => source.secretRef?.name) ?? []).not.toContain(secret);
    }
  });

  it('serves every provider the config uses, with providers Switchboard knows', () => {
    // Provider names are the backticked names in the first column of docs/providers.md's tables.
    const firstCells = readText(root, 'docs', 'providers.md').split('\n').filter((line) => line.startsWith('| ')).map((line) => line.split('|')[1]);
    const known = new Set(firstCells.flatMap((cell) => [...cell.matchAll(/`([a-z0-9_]+)`/g)].map((match) => match[1])));
    const served = workers.flatMap((pool) => pool.providers);
    for (const provider of served) expect(known, provider).toContain(provider);
    const catchAll = workers.some((pool) => pool.providers.length === 0);
    const models = (values.config as { model_list: Array<{ litellm_params: { model: string } }> }).model_list;
    for (const entry of models) {
      const provider = entry.litellm_params.model.split('/')[0];
      expect(catchAll || served.includes(provider), `no worker pool serves ${provider}`).toBe(true);
    }
    const pooled = workers.filter((pool) => pool.providers.length > 0).flatMap((pool) => pool.providers);
    expect(new Set(pooled).size, 'a provider in two pools splits its queue group').toBe(pooled.length);
  });

  it('probes every app on its health routes, on a port the container opens', () => {
    for (const { name: pod, template } of pods.filter((candidate) => !candidate.name.endsWith('-migrate'))) {
      for (const container of template.spec.containers) {
        const ports = (container.ports ?? []).map((port) => port.name);
        expect(container.readinessProbe?.httpGet?.path, pod).toBe('/health/readiness');
        expect(container.livenessProbe?.httpGet?.path, pod).toBe('/health/liveliness');
        expect(ports, pod).toContain(container.readinessProbe?.httpGet?.port);
        expect(ports, pod).toContain(container.livenessProbe?.httpGet?.port);
      }
    }
    expect(gatewayContainer.ports).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'http', containerPort: 4000 })]));
  });

  it("sets the variables each app reads, by the names of the app's settings schema", () => {
    const required: Record<string, string[]> = {
      gateway: ['PORT', 'NATS_URL', 'DATABASE_URL', 'REDIS_URL', 'SWITCHBOARD_CONFIG', 'MASTER_KEY', 'SHUTDOWN_GRACE_SECONDS', 'METRICS_PORT'],
      worker: ['NATS_URL', 'WORKER_PROVIDERS', 'WORKER_HEALTH_PORT', 'SHUTDOWN_GRACE_SECONDS', 'METRICS_PORT', 'USAGE_STREAM_REPLICAS'],
      budget: ['NATS_URL', 'DATABASE_URL', 'SWITCHBOARD_CONFIG', 'BUDGET_HEALTH_PORT', 'METRICS_PORT'],
      logging: ['NATS_URL', 'SWITCHBOARD_CONFIG', 'LOGGING_HEALTH_PORT', 'METRICS_PORT'],
    };
    // The auth service gets the same REDIS_URL and SWITCHBOARD_CONFIG as the other services although its schema does
    // not read them (yet). A worker reads SALT_KEY from its environment, like provider keys
    // (apps/worker/src/bootstrap/stored-credentials.ts), not through its settings schema.
    if (existsSync(join(root, 'apps', 'auth', 'src', 'auth-settings.schema.ts'))) required.auth = ['NATS_URL', 'DATABASE_URL', 'AUTH_HEALTH_PORT'];
    const unreadByDesign: Record<string, string[]> = { auth: ['REDIS_URL', 'SWITCHBOARD_CONFIG'], worker: ['SALT_KEY'] };
    const userSet = new Set([...Object.keys(values.envVars as Values), ...(values.extraEnvVars as EnvVar[]).map((variable) => variable.name)]);
    for (const { template } of pods) {
      for (const container of template.spec.containers) {
        const app = container.args?.at(-1)?.match(/^dist\/apps\/([a-z]+)\/main\.js$/)?.[1] ?? '';
        // migrate has no settings schema: it reads only DATABASE_URL (apps/migrate/src/main.ts).
        if (app === 'migrate') expect([...envOf(container).keys()]).toContain('DATABASE_URL');
        if (!required[app]) continue;
        const env = envOf(container);
        for (const variable of required[app]) expect(env.has(variable), `${app} ${variable}`).toBe(true);
        const declared = settingsSchema(app);
        for (const variable of env.keys()) {
          // POSTGRES_PASSWORD / REDIS_PASSWORD only feed $(VAR) expansion in the bundled-dependency URLs.
          if (userSet.has(variable) || ['POSTGRES_PASSWORD', 'REDIS_PASSWORD', ...(unreadByDesign[app] ?? [])].includes(variable)) continue;
          expect(declared, `${app} reads no ${variable}`).toMatch(new RegExp(`^\\s+${variable}: z\\.`, 'm'));
        }
        const healthPort = env.get('WORKER_HEALTH_PORT') ?? env.get(`${app.toUpperCase()}_HEALTH_PORT`) ?? env.get('PORT');
        const portName = container.readinessProbe?.httpGet?.port;
        expect(container.ports?.find((port) => port.name === portName)?.containerPort, app).toBe(Number(healthPort?.value));
      }
    }
  });

  it('mounts the config from the ConfigMap, equal to the values, and rolls the pods when it changes', () => {
    const configMap = named('ConfigMap', 'switchboard-config');
    expect(parse(configMap.data?.['config.yaml'] ?? '')).toEqual(values.config);
    const readers = pods.filter(({ template }) => template.spec.containers.some((container) => envOf(container).has('SWITCHBOARD_CONFIG')));
    expect(readers.map((pod) => pod.name).sort()).toEqual(['switchboard-auth', 'switchboard-budget', 'switchboard-gateway', 'switchboard-logging']);
    const checksums = new Set(readers.map(({ template }) => template.metadata.annotations?.['checksum/config']));
    expect(checksums.size).toBe(1);
    expect([...checksums][0]).toMatch(/^[0-9a-f]{64}$/);
    for (const { name: pod, template } of readers) {
      const container = template.spec.containers[0];
      const path = envOf(container).get('SWITCHBOARD_CONFIG')?.value ?? '';
      const mount = container.volumeMounts?.find((candidate) => path.startsWith(`${candidate.mountPath}/`));
      expect(mount, pod).toBeDefined();
      const volume = template.spec.volumes?.find((candidate) => candidate.name === mount?.name);
      expect(volume?.configMap?.name, pod).toBe('switchboard-config');
      expect(path.slice((mount?.mountPath.length ?? 0) + 1)).toBe('config.yaml');
    }
  });

  it('runs the migrations as a pre-install / pre-upgrade hook Job', () => {
    const job = named('Job', 'switchboard-migrate');
    expect(job.metadata.annotations).toMatchObject({ 'helm.sh/hook': 'pre-install,pre-upgrade' });
    expect(job.metadata.annotations?.['helm.sh/hook-delete-policy']).toContain('before-hook-creation');
    const template = job.spec?.template as PodTemplate;
    expect(template.spec.restartPolicy).toBe('Never');
    expect(template.spec.containers[0].args?.at(-1)).toBe('dist/apps/migrate/main.js');
    expect(envOf(template.spec.containers[0]).get('DATABASE_URL')?.valueFrom?.secretKeyRef).toEqual((values.postgres as { urlSecret: unknown }).urlSecret);
    // Helm prints hooks after the release's manifests.
    expect(manifests.at(-1)?.kind).toBe('Job');
  });

  it('gives the salt key to the auth service and every worker, and to nothing else', () => {
    const salt = values.saltKeySecret as { name: string; key: string };
    for (const { name: pod, template } of pods) {
      const reference = envOf(template.spec.containers[0]).get('SALT_KEY')?.valueFrom?.secretKeyRef;
      const needs = salt.name !== '' && (pod === 'switchboard-auth' || pod.startsWith('switchboard-worker-'));
      expect(reference, pod).toEqual(needs ? salt : undefined);
    }
  });

  it('holds no credential: no Secret, no literal value for a credential variable, no key-like string', () => {
    expect(ofKind('Secret')).toEqual([]);
    for (const { template } of pods) {
      for (const container of template.spec.containers) {
        for (const variable of container.env ?? []) if (credentialName.test(variable.name)) expect(variable.value, variable.name).toBeUndefined();
      }
    }
    expect(renderedText(name)).not.toMatch(/sk-[A-Za-z0-9]{8,}|AKIA[0-9A-Z]{16}|-----BEGIN/);
    const masterKey = envOf(gatewayContainer).get('MASTER_KEY')?.valueFrom?.secretKeyRef;
    expect(masterKey).toEqual({ name: values.masterkeySecretName, key: values.masterkeySecretKey });
  });

  it('runs every container as uid 10001, non-root, read-only, without capabilities, with /tmp writable', () => {
    expect(pods.length).toBe(deployments.length + 1);
    for (const { name: pod, template } of pods) {
      expect(template.spec.securityContext, pod).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
      for (const container of template.spec.containers) {
        expect(container.securityContext, pod).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
        expect(container.securityContext?.capabilities?.drop, pod).toContain('ALL');
        const tmp = container.volumeMounts?.find((mount) => mount.mountPath === '/tmp');
        expect(template.spec.volumes?.find((volume) => volume.name === tmp?.name)?.emptyDir, pod).toBeDefined();
      }
    }
  });

  it('gives in-flight streams their grace period before the pod is killed', () => {
    const shutdown = values.gracefulShutdown as { graceSeconds: number; preStopSleepSeconds: number; terminationBufferSeconds: number };
    expect(envOf(gatewayContainer).get('SHUTDOWN_GRACE_SECONDS')?.value).toBe(String(shutdown.graceSeconds));
    expect(gatewayContainer.lifecycle?.preStop?.exec?.command).toEqual(['sleep', String(shutdown.preStopSleepSeconds)]);
    expect(gateway.terminationGracePeriodSeconds).toBe(shutdown.preStopSleepSeconds + shutdown.graceSeconds + shutdown.terminationBufferSeconds);
    for (const { name: pod, template } of pods.filter((candidate) => !candidate.name.endsWith('-migrate'))) {
      const grace = Number(envOf(template.spec.containers[0]).get('SHUTDOWN_GRACE_SECONDS')?.value ?? shutdown.graceSeconds);
      // The worker's forced end and final usage flush take up to 12 s after the grace period.
      expect(template.spec.terminationGracePeriodSeconds, pod).toBeGreaterThanOrEqual(grace + 12);
    }
  });

  it('wires selectors, Services, autoscalers, budgets and the ServiceMonitor to what exists', () => {
    for (const deployment of deployments) {
      const selector = (deployment.spec?.selector as { matchLabels: Record<string, string> }).matchLabels;
      for (const other of deployments) {
        expect(matches(selector, (other.spec?.template as PodTemplate).metadata.labels), `${deployment.metadata.name} selects ${other.metadata.name}`).toBe(other === deployment);
      }
    }
    const podsSelectedBy = (selector: Record<string, string>) => pods.filter(({ template }) => matches(selector, template.metadata.labels));
    for (const service of ofKind('Service')) {
      const selected = podsSelectedBy(service.spec?.selector as Record<string, string>);
      expect(selected.length, service.metadata.name).toBeGreaterThan(0);
      for (const port of service.spec?.ports as Array<{ targetPort: string }>) {
        for (const { template } of selected) expect(template.spec.containers[0].ports?.map((candidate) => candidate.name)).toContain(port.targetPort);
      }
    }
    for (const autoscaler of ofKind('HorizontalPodAutoscaler')) {
      const target = named('Deployment', (autoscaler.spec?.scaleTargetRef as { name: string }).name);
      expect(target.spec?.replicas, `${target.metadata.name} is scaled by its HPA`).toBeUndefined();
    }
    for (const budget of ofKind('PodDisruptionBudget')) expect(podsSelectedBy((budget.spec?.selector as { matchLabels: Record<string, string> }).matchLabels).length).toBeGreaterThan(0);
    for (const monitor of ofKind('ServiceMonitor')) {
      const scraped = ofKind('Service').filter((service) => matches((monitor.spec?.selector as { matchLabels: Record<string, string> }).matchLabels, service.metadata.labels ?? {}));
      expect(scraped.map((service) => service.metadata.name).sort()).toEqual(['switchboard-budget-metrics', 'switchboard-gateway', 'switchboard-logging-metrics', 'switchboard-worker-metrics']);
      for (const service of scraped) expect((service.spec?.ports as Array<{ name: string }>).map((port) => port.name)).toContain('metrics');
    }
    for (const ingress of ofKind('Ingress')) {
      expect(JSON.stringify(ingress.spec)).toContain('"service":{"name":"switchboard-gateway","port":{"name":"http"}}');
    }
  });
});
