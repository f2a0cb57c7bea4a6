export * from './api-key';
export * from './budget-schedule';
export * from './duration';
export * from './model-access';
export * from './secret-box';
