import { Catch } from '@nestjs/common';
import type { RpcExceptionFilter } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { throwError } from 'rxjs';
import { SwitchboardError } from '@switchboard/spec';

/**
 * The one error mapper on the bus: whatever a bus handler throws becomes a SwitchboardError, which
 * the transport writes as the one error reply (OpenAI error JSON, status and code in headers).
 * Unknown errors become `internal` without their text, so nothing internal (or secret) leaks.
 */
@Catch()
export class BusExceptionFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => SwitchboardError.from(exception));
  }
}
