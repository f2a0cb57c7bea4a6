// The command line of `npm start` and the `switchboard` bin, with LiteLLM's CLI habits:
//   switchboard --config config.yaml [--port 4000] [--host 0.0.0.0]
//   switchboard --model openai/gpt-4o [--alias gpt-4o] [--api_base URL] [--port 4000] [--detailed_debug]
// `--model` runs a one-model config, as `litellm --model` does: the model's group is `--alias` (else the model
// itself), its key the provider's usual environment variable (OPENAI_API_KEY for openai/...) when that is set.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

const valued = new Set(['config', 'port', 'host', 'model', 'alias', 'api_base']);
const switches = new Set(['detailed_debug', 'debug', 'help', 'no_build']);

export const usage = `usage: switchboard [--config FILE | --model PROVIDER/MODEL [--alias NAME] [--api_base URL]] [--port 4000] [--host 0.0.0.0] [--detailed_debug]
  --config FILE        a LiteLLM config.yaml (default: SWITCHBOARD_CONFIG, else config/switchboard.yaml)
  --model P/M          run a one-model config, as litellm --model does (its key: the provider's <PROVIDER>_API_KEY variable)
  --alias NAME         the model name clients use with --model (default: the model)
  --api_base URL       the upstream URL of --model
  --port, --host       where the gateway listens
  --detailed_debug     debug logs (LOG_LEVEL=debug); --debug too
  --no-build           run what dist/ holds`;

export class CliError extends Error {}

/** `--name value`, `--name=value` and switches; anything else is an error naming it. */
export function parseCliArgs(args) {
  const options = {};
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index];
    const match = /^--([a-z_-]+)(?:=(.*))?$/.exec(arg);
    const name = match?.[1].replace(/-/g, '_');
    if (!match || (!valued.has(name) && !switches.has(name))) {
      throw new CliError(`unknown option ${arg}; options: ${[...valued].map((option) => `--${option} VALUE`).join(', ')}, ${[...switches].map((option) => `--${option}`).join(', ')}`);
    }
    if (switches.has(name)) {
      options[name] = true;
      continue;
    }
    const value = match[2] ?? args[(index += 1)];
    if (value === undefined || value === '') throw new CliError(`--${name} needs a value`);
    options[name] = value;
  }
  if (options.model && options.config) throw new CliError('--model and --config cannot be combined: --model runs a one-model config');
  for (const name of ['alias', 'api_base']) if (options[name] && !options.model) throw new CliError(`--${name} needs --model`);
  if (options.port && !/^\d+$/.test(options.port)) throw new CliError('--port must be a port number');
  return options;
}

/** The one-model config of `--model`, as LiteLLM builds it. */
export function oneModelConfig(options, environment) {
  const model = options.model;
  const provider = model.includes('/') ? model.slice(0, model.indexOf('/')) : 'openai';
  const litellmParams = { model };
  if (options.api_base) litellmParams.api_base = options.api_base;
  const keyVariable = `${provider.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_API_KEY`;
  if (environment[keyVariable]) litellmParams.api_key = `os.environ/${keyVariable}`;
  return { model_list: [{ model_name: options.alias ?? model, litellm_params: litellmParams }] };
}

/** Applies the command line to the environment the services start with; returns the options. */
export function applyCliArgs(args, environment) {
  const options = parseCliArgs(args);
  if (options.model) {
    const directory = mkdtempSync(join(tmpdir(), 'switchboard-model-'));
    const path = join(directory, 'config.yaml');
    writeFileSync(path, stringify(oneModelConfig(options, environment)));
    environment.SWITCHBOARD_CONFIG = path;
  } else {
    environment.SWITCHBOARD_CONFIG = options.config ?? environment.SWITCHBOARD_CONFIG ?? 'config/switchboard.yaml';
  }
  environment.PORT = options.port ?? environment.PORT ?? '4000';
  if (options.host) environment.HOST = options.host;
  if (options.detailed_debug || options.debug) environment.LOG_LEVEL = 'debug';
  return options;
}
