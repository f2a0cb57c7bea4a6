import type { CancellationScope } from '../chat/client-connection';
import type { Dispatch } from '../chat/worker-dispatch.service';

/** A NATS caller of the public API: it goes away by cancelling or by no longer listening on its inbox. */
export class NatsCaller implements CancellationScope {
  private current: Dispatch | undefined;
  private gone = false;

  /** `probe`: the reply subject stream messages carry; "no responders" on it means the caller stopped listening. */
  constructor(
    readonly probe: string,
    private readonly onRelease: () => void,
  ) {}

  get closed(): boolean {
    return this.gone;
  }

  track(dispatch: Dispatch): void {
    this.current = dispatch;
    if (this.gone) dispatch.cancel();
  }

  /** The caller cancelled or stopped listening: abort the upstream call. */
  leave(): void {
    if (this.gone) return;
    this.gone = true;
    this.current?.cancel();
  }

  release(): void {
    this.onRelease();
  }
}
