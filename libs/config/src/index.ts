export { loadConfigFile, parseConfig } from './load-config';
export type { LoadConfigOptions } from './load-config';
export { ConfigError, formatPath } from './config-error';
export { configFileSchema } from './config.schema';
export type { ConfigFile, ModelEntry } from './config.schema';
export type { GeneralSettings, ModelDeployment, SwitchboardConfig } from './switchboard-config';
export { parseCacheSettings } from './cache-settings';
export type { CacheCallType, CacheRedisSettings, CacheScope, CacheSettings } from './cache-settings';
