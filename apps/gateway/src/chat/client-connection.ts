import type { ServerResponse } from 'node:http';
import type { Dispatch } from './worker-dispatch.service';

/** Whoever may walk away from a request (an HTTP client, a NATS caller): cancels the dispatch in flight. */
export interface CancellationScope {
  readonly closed: boolean;
  track(dispatch: Dispatch): void;
  release(): void;
}

/**
 * Watches the client's connection for one request: when it closes before the response is
 * complete, the dispatch in flight (whichever attempt it is) is cancelled.
 */
export class ClientConnection implements CancellationScope {
  private current: Dispatch | undefined;
  private gone = false;
  private readonly onClose = () => {
    if (this.response.writableFinished) return;
    this.gone = true;
    this.current?.cancel();
  };

  constructor(private readonly response: ServerResponse) {
    response.on('close', this.onClose);
  }

  get closed(): boolean {
    return this.gone;
  }

  track(dispatch: Dispatch): void {
    this.current = dispatch;
    if (this.gone) dispatch.cancel();
  }

  release(): void {
    this.response.off('close', this.onClose);
  }
}
