// The OpenAI error JSON is also the bus's error payload (docs/ARCHITECTURE.md D1), so it lives in contracts.
export { openAiErrorBody, openAiErrorType } from '@switchboard/contracts';
export type { OpenAiErrorBody } from '@switchboard/contracts';
