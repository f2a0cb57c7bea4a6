import { request } from 'undici';
import type { UsageEventV1 } from '@switchboard/contracts';
import type { CallbackDestination } from './callback-destination';
import { refusedDelivery } from './callback-destination';

/**
 * Langfuse's batch ingestion API (POST /api/public/ingestion, Basic auth with the project keys):
 * one trace and one generation per request. https://api.reference.langfuse.com/#tag/ingestion
 */
export class LangfuseDestination implements CallbackDestination {
  readonly name: string;
  private readonly authorization: string;

  constructor(
    private readonly host: string,
    publicKey: string,
    secretKey: string,
    readonly wants: CallbackDestination['wants'],
    private readonly timeoutMs: number,
  ) {
    this.name = `langfuse-${wants}`;
    this.authorization = `Basic ${Buffer.from(`${publicKey}:${secretKey}`).toString('base64')}`;
  }

  async deliver(events: readonly UsageEventV1[]): Promise<void> {
    const batch = events.flatMap((event) => {
      const end = new Date(event.occurredAt);
      const start = new Date(end.getTime() - event.latencyMs);
      const traceId = event.traceparent?.split('-')[1] ?? event.requestId;
      return [
        {
          id: `${event.requestId}-trace`,
          type: 'trace-create',
          timestamp: start.toISOString(),
          body: { id: traceId, name: `${event.callType} ${event.modelGroup}`, userId: event.caller?.customerId ?? event.caller?.userId, tags: event.caller?.tags ?? [] },
        },
        {
          id: `${event.requestId}-generation`,
          type: 'generation-create',
          timestamp: end.toISOString(),
          body: {
            id: event.requestId,
            traceId,
            name: event.modelGroup,
            model: event.upstreamModel,
            startTime: start.toISOString(),
            endTime: end.toISOString(),
            level: event.status === 'success' ? 'DEFAULT' : 'ERROR',
            statusMessage: event.errorCode,
            usage: { input: event.usage.inputTokens.total, output: event.usage.outputTokens.total, total: event.usage.inputTokens.total + event.usage.outputTokens.total, unit: 'TOKENS' },
            metadata: { provider: event.provider, deployment: event.deploymentId, key_alias: event.caller?.keyAlias, team: event.caller?.teamId },
          },
        },
      ];
    });
    const response = await request(`${this.host.replace(/\/+$/, '')}/api/public/ingestion`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: this.authorization },
      body: JSON.stringify({ batch }),
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
    await response.body.dump();
    // 207: per-event results; anything else outside 2xx means the batch was not taken.
    if (response.statusCode >= 300) throw refusedDelivery('Langfuse', response.statusCode);
  }
}
