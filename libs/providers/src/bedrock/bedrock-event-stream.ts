/**
 * The AWS event-stream codec now lives in `aws/` (Bedrock and SageMaker share it); these names
 * stay for existing importers (`encodeBedrockEvent` in the package index).
 */
export { encodeEvent, readEventStream } from '../aws/aws-event-stream';
export type { DecodedEvent } from '../aws/aws-event-stream';
