import type { ModelDeployment } from '@switchboard/config';
import type { ReplyFrame } from '@switchboard/messaging';
import type { AnswerFrames, CacheHit, StartedReply } from '../chat/chat-attempt.service';

/**
 * A stored answer as a started reply: every frame is already there (`buffered`, ending with the
 * stream's end), so the pump never waits on anything; there is no worker to cancel or time out.
 */
export function replayOf(frames: ReplyFrame[], deployment: ModelDeployment, cacheHit: CacheHit): StartedReply {
  return { dispatch: finishedReplay, deployment, buffered: frames, cacheHit };
}

const finishedReplay: AnswerFrames = {
  next: async () => ({ kind: 'end' }),
  // Nothing waits in a channel: the stored answer is in `buffered`, bounded by CACHE_MAX_ENTRY_BYTES.
  whenQueuedOver: () => ({ reached: new Promise<void>(() => undefined), cancel: () => undefined }),
  cancel: () => undefined,
  finish: () => undefined,
};
