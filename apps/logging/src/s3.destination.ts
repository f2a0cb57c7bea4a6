import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { request } from 'undici';
import type { UsageEventV1 } from '@switchboard/contracts';
import type { CallbackDestination } from './callback-destination';
import { standardLoggingPayload } from './standard-logging-payload';

export interface S3Options {
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** An S3-compatible endpoint (MinIO, R2, ...); AWS's regional endpoint by default. Path-style addressing. */
  endpoint?: string;
  prefix: string;
}

/** JSONL batches of logging payloads to an S3-compatible bucket (PUT, SigV4), one object per batch. */
export class S3Destination implements CallbackDestination {
  readonly name: string;
  private readonly signer: SignatureV4;

  constructor(
    private readonly options: S3Options,
    readonly wants: CallbackDestination['wants'],
    private readonly timeoutMs: number,
  ) {
    this.name = `s3-${wants}`;
    this.signer = new SignatureV4({
      service: 's3',
      region: options.region,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey, sessionToken: options.sessionToken },
      sha256: Sha256,
    });
  }

  async deliver(events: readonly UsageEventV1[]): Promise<void> {
    const body = events.map((event) => JSON.stringify(standardLoggingPayload(event))).join('\n') + '\n';
    const now = new Date();
    const key = `${this.options.prefix}${now.toISOString().slice(0, 10)}/${now.getTime()}-${events[0].requestId}.jsonl`;
    const base = new URL(this.options.endpoint ?? `https://s3.${this.options.region}.amazonaws.com`);
    const path = `${base.pathname.replace(/\/+$/, '')}/${this.options.bucket}/${key}`;
    const signed = await this.signer.sign(
      new HttpRequest({
        method: 'PUT',
        protocol: base.protocol,
        hostname: base.hostname,
        port: base.port ? Number(base.port) : undefined,
        path,
        headers: { host: base.host, 'content-type': 'application/x-ndjson' },
        body,
      }),
    );
    const response = await request(`${base.origin}${path}`, {
      method: 'PUT',
      headers: signed.headers,
      body,
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
    await response.body.dump();
    if (response.statusCode >= 300) throw new Error(`S3 answered HTTP ${response.statusCode}`);
  }
}
