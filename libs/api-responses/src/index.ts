export { parseResponsesRequest, convertResponsesRequest, inputMessages } from './convert-responses-request';
export { responsesRequestSchema } from './responses-request.schema';
export type { InputItem, ResponsesRequest } from './responses-request.schema';
export { ResponseBuilder } from './response-builder';
export type { ResponseFields } from './response-builder';
export { toServerSentEvents } from './response-stream-event';
export type { ResponseStreamEvent } from './response-stream-event';
export { parseResponseId, responseId } from './response-id';
