import { BaseRpcContext } from '@nestjs/microservices';
import type { Msg, MsgHdrs } from '@nats-io/transport-node';
import type { ReplyWriter } from '../reply-writer';

/**
 * What a bus handler gets besides its payload: the NATS message (subject, headers) and the
 * writer of its reply. Handlers that stream write through `reply`; the others return their answer.
 */
export class BusContext extends BaseRpcContext<[Msg, ReplyWriter]> {
  /** What guards established about the message (the verified caller, ...), for the handler. */
  readonly state = new Map<symbol, unknown>();

  get message(): Msg {
    return this.args[0];
  }

  get subject(): string {
    return this.args[0].subject;
  }

  get headers(): MsgHdrs | undefined {
    return this.args[0].headers;
  }

  /** A header of the message, or undefined when absent or empty. */
  header(name: string): string | undefined {
    return this.args[0].headers?.get(name) || undefined;
  }

  get reply(): ReplyWriter {
    return this.args[1];
  }

  get requestId(): string {
    return this.args[1].requestId;
  }
}
