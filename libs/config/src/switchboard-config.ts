import type { DeploymentParams } from '@switchboard/spec';
import type { CacheSettings } from './cache-settings';

/** One deployment of a model group, as the gateway routes to it. */
export interface ModelDeployment {
  /** `model_info.id`, or a stable hash of the entry when none is given. */
  id: string;
  modelName: string;
  /** `<provider>` from `litellm_params.model`. */
  provider: string;
  /**
   * For a deployment made from a wildcard group (`model_name: "*"`, `openai/*`): the configured
   * `model_name` it matched. `modelName` is then the concrete name the client asked for.
   */
  pattern?: string;
  /** The params sent to the worker, `os.environ/NAME` references left for the worker to resolve. */
  params: DeploymentParams;
  info: Readonly<Record<string, unknown>>;
}

export interface GeneralSettings {
  /** Resolved: a literal or the referenced environment variable's value. */
  masterKey?: string;
  maxRequestSizeMb: number;
  [setting: string]: unknown;
}

export interface SwitchboardConfig {
  sourcePath: string;
  modelList: ModelDeployment[];
  routerSettings: Readonly<Record<string, unknown>>;
  litellmSettings: Readonly<Record<string, unknown>>;
  /** `litellm_settings.cache: true` and its `cache_params`, checked at boot; undefined when caching is off. */
  cache?: CacheSettings;
  generalSettings: GeneralSettings;
  warnings: string[];
}
