/** Injection tokens of the gateway's boot-time values. */
export const GATEWAY_SETTINGS = Symbol('GATEWAY_SETTINGS');
export const SWITCHBOARD_CONFIG = Symbol('SWITCHBOARD_CONFIG');
export const SUBJECT_NAMESPACE = Symbol('SUBJECT_NAMESPACE');
/** The gateway's NatsBusClient: the one reply inbox for worker and auth commands. */
export const BUS_CLIENT = Symbol('BUS_CLIENT');
export const KEY_VERIFIER = Symbol('KEY_VERIFIER');
export const LOGGER = Symbol('LOGGER');
export const MASTER_KEY = Symbol('MASTER_KEY');
/** The gateway's Redis client: every command bounded by `commandTimeout`. */
export const REDIS = Symbol('REDIS');
export const TRACING = Symbol('TRACING');
export const UI_ASSETS = Symbol('UI_ASSETS');
