export { completion, embedding } from './completion';
export { Router } from './sdk-router';
export type { ModelListEntry, RoutedOptions, RouterInit } from './sdk-router';
export type { CallCredentials, CompletionOptions, EmbeddingOptions } from './sdk-options';
export type { ChatCompletionChunkObject, ChatCompletionObject } from './direct-call';
export { SwitchboardNatsClient, SwitchboardNatsError } from './nats-client';
export type { NatsClientOptions, NatsRequestOptions } from './nats-client';
