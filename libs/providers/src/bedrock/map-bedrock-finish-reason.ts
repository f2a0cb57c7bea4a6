import type { FinishReason } from '@switchboard/spec';

/** https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_ResponseSyntax */
export function mapBedrockFinishReason(raw: string | undefined): FinishReason {
  switch (raw) {
    case 'end_turn':
    case 'stop_sequence':
      return { unified: 'stop', raw };
    case 'max_tokens':
      return { unified: 'length', raw };
    case 'tool_use':
      return { unified: 'tool_calls', raw };
    case 'guardrail_intervened':
    case 'content_filtered':
      return { unified: 'content_filter', raw };
    case undefined:
      return { unified: 'stop', raw: null };
    default:
      return { unified: 'other', raw };
  }
}
