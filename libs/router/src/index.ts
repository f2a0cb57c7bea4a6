export { Router } from './router';
export type { AttemptOutcome, RouteRequest, RouteTrace, RouterOptions } from './router';
export { routerSettingsFrom } from './router-settings';
export type { FallbackMap, RetryPolicyKey, RouterSettings, RoutingStrategy } from './router-settings';
export { CooldownRegistry, MemoryRouterStateStore } from './cooldowns';
export type { RouterStateStore } from './cooldowns';
export { DeploymentStats, deploymentWeight, filterByTags, lowestTier, selectDeployment } from './deployment-selector';
export { RetryBudget } from './retry-budget';
export { countsAsDeploymentFailure, fallbackKind, retriesFor, retryPolicyKey } from './error-class';
