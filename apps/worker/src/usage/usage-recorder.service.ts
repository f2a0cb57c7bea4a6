import { Inject, Injectable } from '@nestjs/common';
import { usageMessageId, usageRouteOf, usageSubjects } from '@switchboard/contracts';
import type { SubjectNamespace, UsageEventV1 } from '@switchboard/contracts';
import type { EventPublisher } from '@switchboard/messaging';
import { SUBJECT_NAMESPACE, USAGE_PUBLISHER, WORKER_METRICS } from '../bootstrap/tokens';
import type { WorkerMetrics } from '../metrics/worker-metrics';

/** Publishes usage events to the usage stream, with the request id as the JetStream message id. */
@Injectable()
export class UsageRecorder {
  constructor(
    @Inject(USAGE_PUBLISHER) private readonly publisher: EventPublisher,
    @Inject(SUBJECT_NAMESPACE) private readonly namespace: SubjectNamespace,
    @Inject(WORKER_METRICS) private readonly metrics: WorkerMetrics,
  ) {}

  record(event: UsageEventV1): void {
    this.publisher.publish(usageSubjects.recorded(this.namespace, usageRouteOf(event)), usageMessageId(event), event);
    this.metrics.observe(event);
  }

  get pending(): number {
    return this.publisher.pending;
  }

  flush(timeoutMs: number): Promise<number> {
    return this.publisher.flush(timeoutMs);
  }
}
