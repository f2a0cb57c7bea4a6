export * from './fake-server';
export * from './fake-openai-upstream';
export * from './service-urls';
export * from './isolation';
export * from './service-process';
export * from './system';
export * from './usage-stream-reader';
export * from './fake-anthropic-upstream';
