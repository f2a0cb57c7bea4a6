import { Inject, Injectable } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import type { SwitchboardConfig } from '@switchboard/config';
import { NATS_CONNECTION } from '@switchboard/messaging';
import type { BusContext } from '@switchboard/messaging';
import { SWITCHBOARD_CONFIG } from '../bootstrap/tokens';
import { checkInputBounds, inputBoundsFrom } from '../http/input-bounds';
import type { InputBounds } from '../http/input-bounds';
import type { CallPlan } from '../lifecycle/call-plan';
import { headersOf } from '../lifecycle/edge-request';
import type { EdgeRequest } from '../lifecycle/edge-request';
import { RequestPipeline } from '../lifecycle/request-pipeline.service';
import { NatsAnswerSink } from './nats-answer.sink';
import { verifiedKeyOf } from './nats-api.guard';
import { NatsCallerRegistry } from './nats-caller.registry';

export type NatsPlanner = (request: EdgeRequest, body: unknown) => CallPlan | Promise<CallPlan>;

/**
 * The NATS edge of the one lifecycle: a message's body is held to the same input bounds as HTTP's,
 * becomes its API's plan, and runs through the pipeline with a NATS sink.
 */
@Injectable()
export class NatsEdge {
  private readonly bounds: InputBounds;

  constructor(
    @Inject(RequestPipeline) private readonly pipeline: RequestPipeline,
    @Inject(NatsCallerRegistry) private readonly callers: NatsCallerRegistry,
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
    @Inject(SWITCHBOARD_CONFIG) config: SwitchboardConfig,
  ) {
    this.bounds = inputBoundsFrom(config.generalSettings);
  }

  async serve(context: BusContext, body: unknown, planner: NatsPlanner): Promise<void> {
    checkInputBounds(body, this.bounds);
    const plan = await planner(this.request(context), body);
    const caller = this.callers.open(context.message.reply ?? '');
    try {
      await this.pipeline.run(plan, new NatsAnswerSink(context.reply, caller, this.connection));
    } finally {
      caller.release();
    }
  }

  private request(context: BusContext): EdgeRequest {
    return {
      requestId: context.requestId,
      edge: 'nats',
      verified: verifiedKeyOf(context),
      headers: headersOf(context.headers),
      spanAttributes: { 'messaging.system': 'nats', 'messaging.destination.name': context.subject },
    };
  }
}
