import { request } from 'undici';
import type { UsageEventV1 } from '@switchboard/contracts';
import type { CallbackDestination } from './callback-destination';
import { standardLoggingPayload } from './standard-logging-payload';

/**
 * OpenTelemetry logs over OTLP/HTTP JSON (POST <endpoint>/v1/logs): one log record per request,
 * in the request's trace when it had one. https://opentelemetry.io/docs/specs/otlp/#otlphttp
 */
export class OtlpLogsDestination implements CallbackDestination {
  readonly name: string;

  constructor(
    private readonly endpoint: string,
    readonly wants: CallbackDestination['wants'],
    private readonly timeoutMs: number,
  ) {
    this.name = `otel-${wants}`;
  }

  async deliver(events: readonly UsageEventV1[]): Promise<void> {
    const logRecords = events.map((event) => {
      const [, traceId, spanId] = event.traceparent?.split('-') ?? [];
      const payload = standardLoggingPayload(event);
      return {
        timeUnixNano: String(Date.parse(event.occurredAt) * 1_000_000),
        severityNumber: event.status === 'success' ? 9 : 17,
        severityText: event.status === 'success' ? 'INFO' : 'ERROR',
        body: { stringValue: `${event.callType} ${event.modelGroup} ${event.status}` },
        attributes: Object.entries({ ...payload, metadata: JSON.stringify(payload.metadata) })
          .filter(([, value]) => value !== null && value !== undefined)
          .map(([key, value]) => ({ key: `switchboard.${key}`, value: typeof value === 'number' ? { doubleValue: value } : typeof value === 'boolean' ? { boolValue: value } : { stringValue: String(value) } })),
        ...(traceId ? { traceId, spanId } : {}),
      };
    });
    const body = {
      resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'switchboard-logging' } }] }, scopeLogs: [{ scope: { name: 'switchboard' }, logRecords }] }],
    };
    const response = await request(`${this.endpoint.replace(/\/+$/, '')}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
    await response.body.dump();
    if (response.statusCode >= 300) throw new Error(`OTLP endpoint answered HTTP ${response.statusCode}`);
  }
}
