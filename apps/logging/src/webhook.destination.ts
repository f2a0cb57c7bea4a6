import { request } from 'undici';
import type { UsageEventV1 } from '@switchboard/contracts';
import type { CallbackDestination } from './callback-destination';
import { refusedDelivery } from './callback-destination';
import { standardLoggingPayload } from './standard-logging-payload';

/** LiteLLM's generic API logger: a JSON array of logging payloads POSTed to GENERIC_LOGGER_ENDPOINT. */
export class WebhookDestination implements CallbackDestination {
  readonly name: string;

  constructor(
    private readonly endpoint: string,
    private readonly headers: Record<string, string>,
    readonly wants: CallbackDestination['wants'],
    private readonly timeoutMs: number,
  ) {
    this.name = `webhook-${wants}`;
  }

  async deliver(events: readonly UsageEventV1[]): Promise<void> {
    const response = await request(this.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.headers },
      body: JSON.stringify(events.map(standardLoggingPayload)),
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
    await response.body.dump();
    if (response.statusCode >= 300) throw refusedDelivery('webhook', response.statusCode);
  }
}

/** `name=value,name=value` (LiteLLM's GENERIC_LOGGER_HEADERS) as a header record. */
export function parseHeaderList(text: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of (text ?? '').split(',')) {
    const separator = pair.indexOf('=');
    if (separator > 0) headers[pair.slice(0, separator).trim().toLowerCase()] = pair.slice(separator + 1).trim();
  }
  return headers;
}
