import { Injectable } from '@nestjs/common';
import { SwitchboardError } from '@switchboard/spec';

/** The upstream calls this worker is running, by request id, so a cancel can abort one. */
@Injectable()
export class InFlightRegistry {
  private readonly controllers = new Map<string, AbortController>();

  register(requestId: string): AbortController {
    const controller = new AbortController();
    this.controllers.set(requestId, controller);
    return controller;
  }

  release(requestId: string): void {
    this.controllers.delete(requestId);
  }

  cancel(requestId: string, reason: SwitchboardError = new SwitchboardError('cancelled', 'The client cancelled the request')): boolean {
    const controller = this.controllers.get(requestId);
    if (!controller) return false;
    controller.abort(reason);
    return true;
  }

  cancelAll(reason: SwitchboardError): number {
    const count = this.controllers.size;
    for (const controller of this.controllers.values()) controller.abort(reason);
    return count;
  }

  get size(): number {
    return this.controllers.size;
  }
}
