import type { ServerResponse } from 'node:http';
import type { SwitchboardError } from '@switchboard/spec';
import { anthropicErrorResponse } from '../anthropic/anthropic-exception.filter';
import type { StreamEvent } from '../lifecycle/answer-encoder';
import type { AnswerSink } from '../lifecycle/answer-sink';
import { writeErrorResponse } from './error-response';

/** Events as Server-Sent Events: the `event:` line when the API names one, then `data:`. */
export function toServerSentEvents(events: readonly StreamEvent[]): string {
  let text = '';
  for (const event of events) text += `${event.event ? `event: ${event.event}\n` : ''}data: ${JSON.stringify(event.data)}\n\n`;
  return text;
}

/**
 * The HTTP edge's sink: one JSON body, or Server-Sent Events written with the socket's
 * backpressure (`write` returns false past the socket's high-water mark; `drained` waits for
 * `drain`). Errors before output are the route's error JSON (OpenAI's, or Anthropic's on /v1/messages).
 */
export class HttpAnswerSink implements AnswerSink {
  private gone = false;
  private readonly listeners: Array<() => void> = [];

  constructor(
    private readonly response: ServerResponse,
    private readonly requestId: string,
    private readonly errorFormat: 'openai' | 'anthropic',
  ) {
    response.once('close', () => {
      if (response.writableFinished) return;
      this.gone = true;
      for (const listener of this.listeners.splice(0)) listener();
    });
  }

  get closed(): boolean {
    return this.gone;
  }

  get status(): number | undefined {
    return this.response.headersSent ? this.response.statusCode : undefined;
  }

  onClose(listener: () => void): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  error(error: SwitchboardError, headers: Record<string, string>): void {
    if (this.errorFormat === 'anthropic') anthropicErrorResponse(this.response, this.requestId, error, headers);
    else writeErrorResponse(this.response, this.requestId, error, headers);
  }

  body(body: unknown, headers: Record<string, string>): void {
    const text = JSON.stringify(body);
    this.response.writeHead(200, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    this.response.end(text);
  }

  open(headers: Record<string, string>): void {
    this.response.writeHead(200, { ...headers, 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  }

  write(events: readonly StreamEvent[]): boolean {
    if (this.gone || this.response.destroyed) return true;
    return this.response.write(toServerSentEvents(events));
  }

  drained(): Promise<void> {
    if (this.gone || this.response.destroyed || !this.response.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.response.off('drain', done);
        this.response.off('close', done);
        resolve();
      };
      this.response.once('drain', done);
      this.response.once('close', done);
    });
  }

  end(events: readonly StreamEvent[], doneMarker?: string): void {
    this.response.end(toServerSentEvents(events) + (doneMarker ? `data: ${doneMarker}\n\n` : ''));
  }

  fail(events: readonly StreamEvent[], inBandError: StreamEvent | undefined): void {
    if (this.response.destroyed) return;
    this.response.end(toServerSentEvents(inBandError ? [...events, inBandError] : events));
  }

  abort(): void {
    this.response.destroy();
  }
}
