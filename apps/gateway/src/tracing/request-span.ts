import { SpanKind, endSpan, extractContext, traceHeadersOf } from '@switchboard/observability';
import type { Attributes, Span, Tracing } from '@switchboard/observability';
import type { Caller } from '@switchboard/contracts';
import type { RouteTrace } from '@switchboard/router';
import type { ChatRequest } from '@switchboard/spec';

/**
 * Where the caller's W3C `traceparent` / `tracestate` arrive: the HTTP request's headers, or the
 * values read from a NATS API message's headers.
 */
export type TraceCarrier = Record<string, string | string[] | undefined>;

/**
 * The gateway's server span of one LLM request, following the OpenTelemetry GenAI conventions, and
 * the `traceparent` that carries it over NATS to the worker, for either edge. Prompts are never
 * recorded here; keys never (only the key alias). `edgeAttributes` add what only one edge knows
 * (the NATS subject).
 */
export class RequestSpan {
  private readonly span: Span;
  readonly traceparent?: string;
  readonly tracestate?: string;

  constructor(
    tracing: Tracing,
    headers: TraceCarrier,
    operation: string,
    request: Pick<ChatRequest, 'model'> & Partial<ChatRequest>,
    caller: Caller,
    requestId: string,
    edgeAttributes: Attributes = {},
  ) {
    const parent = extractContext(headers);
    this.span = tracing.tracer.startSpan(
      `${operation} ${request.model}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'gen_ai.operation.name': operation,
          'gen_ai.request.model': request.model,
          ...(request.temperature != null ? { 'gen_ai.request.temperature': request.temperature } : {}),
          ...(request.top_p != null ? { 'gen_ai.request.top_p': request.top_p } : {}),
          ...(request.max_tokens != null ? { 'gen_ai.request.max_tokens': request.max_tokens } : {}),
          'switchboard.request_id': requestId,
          'switchboard.stream': request.stream === true,
          ...(caller.keyAlias ? { 'switchboard.key_alias': caller.keyAlias } : {}),
          ...(caller.teamId ? { 'switchboard.team_id': caller.teamId } : {}),
          ...edgeAttributes,
        },
      },
      parent,
    );
    if (this.span.isRecording()) {
      const carried = traceHeadersOf(parent, this.span);
      this.traceparent = carried.traceparent;
      this.tracestate = carried.tracestate;
    } else {
      // Tracing off here: still carry the caller's context so downstream traces connect.
      const traceparent = headers.traceparent;
      const tracestate = headers.tracestate;
      this.traceparent = typeof traceparent === 'string' ? traceparent : undefined;
      this.tracestate = typeof tracestate === 'string' ? tracestate : undefined;
    }
  }

  /** Attributes learnt on the way (the response cache's hit and key). */
  annotate(attributes: Attributes): void {
    if (this.span.isRecording()) this.span.setAttributes(attributes);
  }

  end(status: number, trace: RouteTrace, errorCode?: string): void {
    if (!this.span.isRecording()) return;
    this.span.setAttributes({
      'http.response.status_code': status,
      'switchboard.model_group': trace.modelGroup,
      'switchboard.attempted_retries': trace.attemptedRetries,
      'switchboard.attempted_fallbacks': trace.attemptedFallbacks,
      ...(trace.deployment ? { 'switchboard.deployment_id': trace.deployment.id, 'gen_ai.provider.name': trace.deployment.provider } : {}),
    });
    endSpan(this.span, errorCode ?? (status >= 400 ? String(status) : undefined));
  }
}
