import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import type { Attributes, Context, Span, TextMapGetter, TextMapSetter, Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

export { SpanKind, SpanStatusCode };
export type { Attributes, Context, Span };

export interface Tracing {
  tracer: Tracer;
  enabled: boolean;
  shutdown(): Promise<void>;
}

/**
 * Traces through the OpenTelemetry SDK, exported over OTLP/HTTP as the standard `OTEL_*` variables
 * say; off (no-op spans, nothing exported) when no endpoint is set or `OTEL_SDK_DISABLED=true`.
 * NATS has no OpenTelemetry instrumentation, so trace context crosses the bus in message headers
 * by hand (W3C `traceparent` / `tracestate`).
 */
export function startTracing(service: string, environment: NodeJS.ProcessEnv): Tracing {
  const endpoint = environment.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? environment.OTEL_EXPORTER_OTLP_ENDPOINT;
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  if (!endpoint || environment.OTEL_SDK_DISABLED === 'true') {
    return { tracer: trace.getTracer('switchboard'), enabled: false, shutdown: async () => undefined };
  }
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': environment.OTEL_SERVICE_NAME ?? `switchboard-${service}`, 'service.namespace': 'switchboard' }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  trace.setGlobalTracerProvider(provider);
  return { tracer: provider.getTracer('switchboard'), enabled: true, shutdown: () => provider.shutdown() };
}

type Carrier = Record<string, string | string[] | undefined>;

const getter: TextMapGetter<Carrier> = {
  get: (carrier, key) => {
    const value = carrier[key];
    return Array.isArray(value) ? value[0] : value;
  },
  keys: (carrier) => Object.keys(carrier),
};
const setter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

/** The parent context carried by incoming headers (HTTP or NATS, as a plain record). */
export function extractContext(headers: Carrier): Context {
  return propagation.extract(ROOT_CONTEXT, headers, getter);
}

/** `traceparent` / `tracestate` for a child of `span`, to put in outgoing NATS headers. */
export function traceHeadersOf(parent: Context, span: Span): { traceparent?: string; tracestate?: string } {
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(parent, span), carrier, setter);
  return { traceparent: carrier.traceparent, tracestate: carrier.tracestate };
}

/** Marks a span failed with a Switchboard error code (never the message, which may quote a provider). */
export function endSpan(span: Span, errorCode?: string): void {
  if (errorCode) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: errorCode });
    span.setAttribute('error.type', errorCode);
  }
  span.end();
}

export { context };
