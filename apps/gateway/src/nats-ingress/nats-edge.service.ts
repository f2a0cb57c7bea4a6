import { Inject, Injectable } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { NATS_CONNECTION } from '@switchboard/messaging';
import type { BusContext } from '@switchboard/messaging';
import type { CallPlan } from '../lifecycle/call-plan';
import { headersOf } from '../lifecycle/edge-request';
import type { EdgeRequest } from '../lifecycle/edge-request';
import { RequestPipeline } from '../lifecycle/request-pipeline.service';
import { NatsAnswerSink } from './nats-answer.sink';
import { verifiedKeyOf } from './nats-api.guard';
import { NatsCallerRegistry } from './nats-caller.registry';

/** The NATS edge of the one lifecycle: a message becomes an EdgeRequest, its API's plan, and a NATS sink. */
@Injectable()
export class NatsEdge {
  constructor(
    @Inject(RequestPipeline) private readonly pipeline: RequestPipeline,
    @Inject(NatsCallerRegistry) private readonly callers: NatsCallerRegistry,
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
  ) {}

  request(context: BusContext): EdgeRequest {
    return {
      requestId: context.requestId,
      edge: 'nats',
      verified: verifiedKeyOf(context),
      headers: headersOf(context.headers),
      spanAttributes: { 'messaging.system': 'nats', 'messaging.destination.name': context.subject },
    };
  }

  async run(context: BusContext, plan: CallPlan): Promise<void> {
    const caller = this.callers.open(context.message.reply ?? '');
    try {
      await this.pipeline.run(plan, new NatsAnswerSink(context.reply, caller, this.connection));
    } finally {
      caller.release();
    }
  }
}
