export * from './subjects';
export * from './headers';
export * from './chat-command.schema';
export * from './usage-event.schema';
export * from './identity-messages';
export * from './budget-alert.schema';
export * from './period-spend.schema';
