import { BaseRpcContext } from '@nestjs/microservices';
import type { JsMsg } from '@nats-io/jetstream';
import type { JetStreamConsumerSpec } from './jetstream-consumer.runner';

/**
 * What a JetStream event handler gets besides the decoded payloads: the messages themselves (the
 * handler acknowledges each once it is done with it: ack, park, or leave it for the server to deliver
 * again on the consumer's backoff) and the durable consumer they came from.
 */
export class JetStreamBatchContext extends BaseRpcContext<[JsMsg[], JetStreamConsumerSpec]> {
  get messages(): JsMsg[] {
    return this.args[0];
  }

  get consumer(): JetStreamConsumerSpec {
    return this.args[1];
  }

  get durable(): string {
    return this.args[1].durable;
  }
}
