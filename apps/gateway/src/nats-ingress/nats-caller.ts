/** A NATS caller of the public API: it goes away by cancelling or by no longer listening on its inbox. */
export class NatsCaller {
  private gone = false;
  private readonly listeners: Array<() => void> = [];

  /** `probe`: the reply subject stream messages carry; "no responders" on it means the caller stopped listening. */
  constructor(
    readonly probe: string,
    private readonly onRelease: () => void,
  ) {}

  get closed(): boolean {
    return this.gone;
  }

  onLeave(listener: () => void): () => void {
    if (this.gone) {
      listener();
      return () => undefined;
    }
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  /** The caller cancelled or stopped listening. */
  leave(): void {
    if (this.gone) return;
    this.gone = true;
    for (const listener of this.listeners.splice(0)) listener();
  }

  release(): void {
    this.onRelease();
  }
}
