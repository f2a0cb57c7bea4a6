export * from './bus-context';
export * from './bus-exception.filter';
export * from './bus-patterns';
export * from './bus-payload.pipe';
export * from './nats-bus.client';
export * from './nats-bus.transport';
export * from './jetstream-batch.context';
export * from './jetstream-consumer.runner';
