/**
 * The minimal, tolerant shapes of Bedrock Runtime's Converse API.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
 */
export interface BedrockUsage {
  inputTokens?: number;
  outputTokens?: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

export type BedrockContentBlock = {
  text?: string;
  toolUse?: { toolUseId: string; name: string; input?: unknown };
  reasoningContent?: { reasoningText?: { text?: string; signature?: string } };
};

export interface BedrockConverseResponse {
  output?: { message?: { role?: string; content?: BedrockContentBlock[] } };
  stopReason?: string;
  usage?: BedrockUsage;
}

/** Payloads of ConverseStream events, keyed by their `:event-type` header. */
export interface BedrockStreamEvent {
  contentBlockIndex?: number;
  start?: { toolUse?: { toolUseId: string; name: string } };
  delta?: { text?: string; toolUse?: { input?: string }; reasoningContent?: { text?: string; signature?: string } };
  stopReason?: string;
  usage?: BedrockUsage;
  message?: string;
}
