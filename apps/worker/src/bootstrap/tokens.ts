export const WORKER_SETTINGS = Symbol('WORKER_SETTINGS');
export const WORKER_ENVIRONMENT = Symbol('WORKER_ENVIRONMENT');
export const PROVIDER_REGISTRY = Symbol('PROVIDER_REGISTRY');
export const SUBJECT_NAMESPACE = Symbol('SUBJECT_NAMESPACE');
export const USAGE_PUBLISHER = Symbol('USAGE_PUBLISHER');
export const LOGGER = Symbol('LOGGER');
export const WORKER_METRICS = Symbol('WORKER_METRICS');
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');
