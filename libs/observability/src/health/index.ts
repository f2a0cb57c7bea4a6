export * from './service-health';
export * from './health-server';
export * from './health.module';
export * from './graceful-shutdown';
