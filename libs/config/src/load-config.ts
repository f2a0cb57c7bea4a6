import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { DeploymentParams } from '@switchboard/spec';
import { parseCacheSettings } from './cache-settings';
import { ConfigError, formatPath } from './config-error';
import { configFileSchema } from './config.schema';
import type { ConfigFile } from './config.schema';
import { checkConfigKeys } from './keys/config-keys';
import type { ModelDeployment, SwitchboardConfig } from './switchboard-config';

const environmentReference = /^os\.environ\/([A-Za-z_][A-Za-z0-9_]*)$/;

export interface LoadConfigOptions {
  /** The environment used to resolve `os.environ/NAME` in general settings. */
  environment: Readonly<Record<string, string | undefined>>;
  /** Reads an `include`d file (tests); defaults to the file system, relative to the config file. */
  readInclude?: (path: string) => string;
}

export function loadConfigFile(path: string, options: LoadConfigOptions): SwitchboardConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return parseConfig(text, path, options);
}

function parseYaml(text: string, sourcePath: string): unknown {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) throw new ConfigError(`Invalid YAML in ${sourcePath}: ${document.errors[0].message}`);
  return document.toJS() ?? {};
}

/**
 * LiteLLM's `include`: each listed file (relative to the config) adds its `model_list` entries.
 * Anything else in an included file is refused, so nothing in it is silently dropped.
 */
function withIncludes(raw: unknown, sourcePath: string, options: LoadConfigOptions): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const config = raw as Record<string, unknown>;
  if (!Array.isArray(config.include)) return raw;
  const modelList = Array.isArray(config.model_list) ? [...config.model_list] : [];
  config.include.forEach((entry, index) => {
    if (typeof entry !== 'string') return;
    const path = resolve(dirname(sourcePath), entry);
    let text: string;
    try {
      text = options.readInclude ? options.readInclude(path) : readFileSync(path, 'utf8');
    } catch (error) {
      throw new ConfigError(`Invalid config ${sourcePath}: include[${index}] cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, [
        { path: `include[${index}]`, message: `cannot read ${path}` },
      ]);
    }
    const included = parseYaml(text, path) as Record<string, unknown>;
    const others = Object.keys(included ?? {}).filter((key) => key !== 'model_list');
    if (others.length > 0) {
      throw new ConfigError(`Invalid config ${sourcePath}: include[${index}] (${path}) may only hold model_list; move ${others.join(', ')} into the main file`, [
        { path: `include[${index}]`, message: `may only hold model_list (found ${others.join(', ')})` },
      ]);
    }
    if (Array.isArray(included.model_list)) modelList.push(...included.model_list);
  });
  return { ...config, model_list: modelList };
}

/** Parses and validates a config; a bad file throws a ConfigError naming each key path and reason. */
export function parseConfig(text: string, sourcePath: string, options: LoadConfigOptions): SwitchboardConfig {
  const raw = withIncludes(parseYaml(text, sourcePath), sourcePath, options);
  // Which keys exist, and what becomes of the ones Switchboard does not honour, first: a refused
  // key stops the start with what to use instead; an ignored one is a warning that says why.
  const keys = checkConfigKeys(raw);
  const parsed = configFileSchema.safeParse(raw);
  const schemaErrors = parsed.success ? [] : parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: `${formatPath(issue.path)}: ${issue.message}` }));
  const errors = [...keys.errors, ...schemaErrors];
  if (errors.length > 0 || !parsed.success) {
    throw new ConfigError(`Invalid config file ${sourcePath}:\n${errors.map((error) => `  ${error.message}`).join('\n')}`, errors);
  }
  const file = parsed.data;
  const warnings = keys.warnings.map((warning) => `${warning.message} (${sourcePath})`);
  // As in LiteLLM, environment_variables are set for the process: they win over its environment.
  const fileEnvironment = stringifyValues(file.environment_variables);
  const environment = { ...options.environment, ...fileEnvironment };
  const general = file.general_settings ?? {};
  const maxRequestSizeMb = general.max_request_size_mb ?? 10;
  const defaults = deploymentDefaults(file);
  const credentials = credentialsByName(file);
  return {
    sourcePath,
    modelList: file.model_list.map((entry, index) => toDeployment(entry, index, { defaults, credentials, fileEnvironment })),
    routerSettings: file.router_settings ?? {},
    litellmSettings: file.litellm_settings ?? {},
    cache: parseCacheSettings(file.litellm_settings ?? {}, environment, sourcePath),
    generalSettings: {
      ...general,
      masterKey: resolveSetting('general_settings.master_key', general.master_key, environment),
      maxRequestSizeMb,
    },
    warnings,
  };
}

interface DeploymentContext {
  defaults: Partial<DeploymentParams>;
  credentials: ReadonlyMap<string, Record<string, unknown>>;
  fileEnvironment: Readonly<Record<string, string>>;
}

/** Timeouts every deployment gets unless it sets its own: router_settings, then litellm_settings. */
function deploymentDefaults(file: ConfigFile): Partial<DeploymentParams> {
  const router = file.router_settings ?? {};
  const litellm = file.litellm_settings ?? {};
  const defaults: Partial<DeploymentParams> = {};
  const timeout = router.timeout ?? litellm.timeout ?? litellm.request_timeout;
  const streamTimeout = router.stream_timeout ?? litellm.stream_timeout;
  if (timeout !== undefined) defaults.timeout = timeout;
  if (streamTimeout !== undefined) defaults.stream_timeout = streamTimeout;
  return defaults;
}

function credentialsByName(file: ConfigFile): Map<string, Record<string, unknown>> {
  const credentials = new Map<string, Record<string, unknown>>();
  for (const entry of file.credential_list ?? []) credentials.set(entry.credential_name, entry.credential_values);
  return credentials;
}

function toDeployment(entry: ConfigFile['model_list'][number], index: number, context: DeploymentContext): ModelDeployment {
  const own = entry.litellm_params as DeploymentParams;
  const credentialName = own.litellm_credential_name;
  let credential: Record<string, unknown> = {};
  if (typeof credentialName === 'string') {
    const found = context.credentials.get(credentialName);
    if (!found) {
      const path = `model_list[${index}].litellm_params.litellm_credential_name`;
      throw new ConfigError(`Invalid config: ${path} names the credential '${credentialName}', which credential_list does not define`, [
        { path, message: `no credential_list entry named '${credentialName}'` },
      ]);
    }
    credential = found;
  }
  const { litellm_credential_name: _credentialName, custom_llm_provider: customProvider, ...rest } = { ...context.defaults, ...credential, ...own } as DeploymentParams;
  const params: DeploymentParams = withFileEnvironment({ ...rest, model: withProvider(rest.model, customProvider) }, context.fileEnvironment);
  const slash = params.model.indexOf('/');
  const provider = slash > 0 ? params.model.slice(0, slash) : 'openai';
  const info = (entry.model_info ?? {}) as Record<string, unknown>;
  const id =
    typeof info.id === 'string' && info.id
      ? info.id
      : createHash('sha256').update(`${entry.model_name}\u0000${index}\u0000${JSON.stringify(entry.litellm_params)}`).digest('hex').slice(0, 16);
  return { id, modelName: entry.model_name, provider, params, info };
}

/** LiteLLM's `custom_llm_provider`: the provider of a model named without its `<provider>/` prefix. */
function withProvider(model: string, provider: unknown): string {
  if (typeof provider !== 'string' || !provider) return model;
  return model.startsWith(`${provider}/`) ? model : `${provider}/${model}`;
}

/**
 * `os.environ/NAME` references to this file's environment_variables become their values: the worker
 * resolves references from its own environment, where the file's variables do not exist.
 */
function withFileEnvironment(params: DeploymentParams, fileEnvironment: Readonly<Record<string, string>>): DeploymentParams {
  if (Object.keys(fileEnvironment).length === 0) return params;
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) {
    const match = typeof value === 'string' ? environmentReference.exec(value) : null;
    result[name] = match && Object.hasOwn(fileEnvironment, match[1]) ? fileEnvironment[match[1]] : value;
  }
  return result as DeploymentParams;
}

function resolveSetting(
  path: string,
  value: string | undefined,
  environment: Readonly<Record<string, string | undefined>>,
): string | undefined {
  if (value === undefined) return undefined;
  const match = environmentReference.exec(value);
  if (!match) return value;
  const resolved = environment[match[1]];
  if (resolved === undefined || resolved === '') {
    throw new ConfigError(`Invalid config: ${path} refers to the environment variable ${match[1]}, which is not set`, [
      { path, message: `environment variable ${match[1]} is not set` },
    ]);
  }
  return resolved;
}

function stringifyValues(values: Record<string, string | number | boolean> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(values ?? {})) result[name] = String(value);
  return result;
}
