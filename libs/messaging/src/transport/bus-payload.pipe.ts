import type { PipeTransform } from '@nestjs/common';
import type { ZodType } from 'zod';
import { SwitchboardError } from '@switchboard/spec';

/**
 * Validates a bus payload against its contract schema (`@Payload(new BusPayloadPipe(schema))`): a
 * malformed message is a 400 `invalid_request` naming the field, in the one error reply, and the
 * service keeps serving.
 */
export class BusPayloadPipe<T> implements PipeTransform<unknown, T> {
  constructor(private readonly schema: ZodType<T>) {}

  transform(value: unknown): T {
    const parsed = this.schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const param = issue?.path.join('.') || 'body';
    throw new SwitchboardError('invalid_request', `Invalid message: ${param}: ${issue?.message ?? 'invalid'}`, { param });
  }
}
