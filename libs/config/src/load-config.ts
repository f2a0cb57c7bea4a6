import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { DeploymentParams } from '@switchboard/spec';
import { parseCacheSettings } from './cache-settings';
import { ConfigError, formatPath } from './config-error';
import { configFileSchema } from './config.schema';
import type { ConfigFile } from './config.schema';
import type { ModelDeployment, SwitchboardConfig } from './switchboard-config';

const environmentReference = /^os\.environ\/([A-Za-z_][A-Za-z0-9_]*)$/;

export interface LoadConfigOptions {
  /** The environment used to resolve `os.environ/NAME` in general settings. */
  environment: Readonly<Record<string, string | undefined>>;
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

/** Parses and validates a config; a bad file throws a ConfigError naming each key path and reason. */
export function parseConfig(text: string, sourcePath: string, options: LoadConfigOptions): SwitchboardConfig {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    const first = document.errors[0];
    throw new ConfigError(`Invalid YAML in ${sourcePath}: ${first.message}`);
  }
  const raw: unknown = document.toJS() ?? {};
  const strict = configFileSchema('strict').safeParse(raw);
  const warnings: string[] = [];
  let file: ConfigFile;
  if (strict.success) {
    file = strict.data;
  } else {
    const errors = [];
    for (const issue of strict.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) warnings.push(`Unknown key ${formatPath([...issue.path, key])} in ${sourcePath} (ignored)`);
      } else {
        errors.push({ path: formatPath(issue.path), message: issue.message });
      }
    }
    if (errors.length > 0) {
      const lines = errors.map((error) => `  ${error.path}: ${error.message}`).join('\n');
      throw new ConfigError(`Invalid config file ${sourcePath}:\n${lines}`, errors);
    }
    file = configFileSchema('loose').parse(raw);
  }
  const environment = { ...stringifyValues(file.environment_variables), ...options.environment };
  const general = file.general_settings ?? {};
  const maxRequestSizeMb = general.max_request_size_mb ?? 10;
  return {
    sourcePath,
    modelList: file.model_list.map((entry, index) => toDeployment(entry, index)),
    routerSettings: file.router_settings ?? {},
    litellmSettings: file.litellm_settings ?? {},
    cache: parseCacheSettings(file.litellm_settings ?? {}, environment, sourcePath),
    generalSettings: {
      ...general,
      masterKey: resolveSetting('general_settings.master_key', general.master_key, environment),
      databaseUrl: resolveSetting('general_settings.database_url', general.database_url, environment),
      maxRequestSizeMb,
    },
    warnings,
  };
}

function toDeployment(entry: ConfigFile['model_list'][number], index: number): ModelDeployment {
  const params = entry.litellm_params as DeploymentParams;
  const slash = params.model.indexOf('/');
  const provider = slash > 0 ? params.model.slice(0, slash) : 'openai';
  const info = (entry.model_info ?? {}) as Record<string, unknown>;
  const id =
    typeof info.id === 'string' && info.id
      ? info.id
      : createHash('sha256').update(`${entry.model_name}\u0000${index}\u0000${JSON.stringify(params)}`).digest('hex').slice(0, 16);
  return { id, modelName: entry.model_name, provider, params, info };
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
