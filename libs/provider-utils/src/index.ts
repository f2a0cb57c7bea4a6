export * from './upstream-http';
export * from './upstream-error';
export * from './redact';
export * from './sse';
export * from './resolve-deployment';
export * from './estimate-tokens';
export * from './usage';
export * from './upstream-call';
