import { Inject, Injectable } from '@nestjs/common';
import type { Msg } from '@nats-io/transport-node';
import type { ChatCommandV1, UsageEventV1 } from '@switchboard/contracts';
import { readTraceHeaders } from '@switchboard/messaging';
import { SpanKind, endSpan, extractContext, traceHeadersOf } from '@switchboard/observability';
import type { Span, Tracing } from '@switchboard/observability';
import { TRACING } from '../bootstrap/tokens';

export interface CallSpan {
  traceparent?: string;
  end(event: UsageEventV1): void;
}

/**
 * The worker's CLIENT span of one upstream call, child of the gateway's span through the NATS
 * headers, with the GenAI attributes of what came back. Prompts and completions are not recorded.
 */
@Injectable()
export class CallSpans {
  constructor(@Inject(TRACING) private readonly tracing: Tracing) {}

  start(message: Msg, command: ChatCommandV1): CallSpan {
    const carried = readTraceHeaders(message.headers);
    const parent = extractContext({ traceparent: carried.traceparent, tracestate: carried.tracestate });
    const model = String(command.deployment.params.model);
    const provider = model.includes('/') ? model.slice(0, model.indexOf('/')) : 'openai';
    const request = command.request as Record<string, unknown>;
    const span: Span = this.tracing.tracer.startSpan(
      `chat ${model.slice(model.indexOf('/') + 1)}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': provider,
          'gen_ai.request.model': model.slice(model.indexOf('/') + 1),
          ...(typeof request.temperature === 'number' ? { 'gen_ai.request.temperature': request.temperature } : {}),
          ...(typeof request.max_tokens === 'number' ? { 'gen_ai.request.max_tokens': request.max_tokens } : {}),
          'switchboard.request_id': command.requestId,
          'switchboard.deployment_id': command.deployment.id,
          'switchboard.attempt': command.attempt,
        },
      },
      parent,
    );
    const traceparent = span.isRecording() ? traceHeadersOf(parent, span).traceparent : carried.traceparent;
    return {
      traceparent,
      end: (event) => {
        if (span.isRecording()) {
          span.setAttributes({
            'gen_ai.usage.input_tokens': event.usage.inputTokens.total,
            'gen_ai.usage.output_tokens': event.usage.outputTokens.total,
            ...(event.responseId ? { 'gen_ai.response.id': event.responseId } : {}),
            ...(event.responseModel ? { 'gen_ai.response.model': event.responseModel } : {}),
            ...(event.finishReason ? { 'gen_ai.response.finish_reasons': [event.finishReason] } : {}),
            'switchboard.status': event.status,
          });
        }
        endSpan(span, event.errorCode);
      },
    };
  }
}
