import type { CancellationScope } from '../chat/chat-attempt.service';
import type { Dispatch } from '../chat/worker-dispatch.service';
import type { AnswerSink } from './answer-sink';

/** Cancels the dispatch in flight (whichever attempt it is) when the sink's client goes away. */
export class SinkCancellation implements CancellationScope {
  private current: Dispatch | undefined;
  private readonly unsubscribe: () => void;

  constructor(private readonly sink: AnswerSink) {
    this.unsubscribe = sink.onClose(() => this.current?.cancel());
  }

  get closed(): boolean {
    return this.sink.closed;
  }

  track(dispatch: Dispatch): void {
    this.current = dispatch;
    if (this.sink.closed) dispatch.cancel();
  }

  release(): void {
    this.unsubscribe();
  }
}
