import type { ManagementReply, ManagementRequest } from '@switchboard/contracts';
import type { ErrorPayload } from '@switchboard/spec';
import { SwitchboardError } from '@switchboard/spec';
import { managementOperations, operationOf, unknownOperation } from './management-router';
import type { ManagementServices } from './management-router';
import type { PrincipalResolver } from './authorization/principal-resolver';
import { admitRoute } from './authorization/route-policy';

export type ManagementOutcome = ManagementReply | { error: ErrorPayload };

/** Runs one management command: resolve the caller, admit the route (`authorization/`), run the operation, answer status and body or an error. */
export class ManagementService {
  private readonly operations;

  constructor(
    private readonly principals: PrincipalResolver,
    services: ManagementServices,
    private readonly onUnexpected: (error: unknown, operation: string) => void,
  ) {
    this.operations = managementOperations(services);
  }

  async handle(request: ManagementRequest): Promise<ManagementOutcome> {
    const { operation, pathId } = operationOf(request.operation);
    try {
      const handler = this.operations.get(operation);
      if (!handler) throw unknownOperation(request.operation);
      const principal = await this.principals.resolve(request.actor);
      admitRoute(principal, operation, request.query ?? {});
      const changedBy = typeof request.changedBy === 'string' && request.changedBy ? request.changedBy.slice(0, 200) : undefined;
      const body = await handler({ principal, auditName: changedBy ?? principal.auditName, changedBy }, { ...request, body: request.body ?? {}, query: request.query ?? {} }, pathId);
      return { status: 200, body };
    } catch (error) {
      if (!(error instanceof SwitchboardError)) {
        const unique = (error as { code?: string }).code === '23505';
        if (unique) return { error: new SwitchboardError('invalid_request', 'An object with this id, alias or email already exists').toPayload() };
        this.onUnexpected(error, operation);
      }
      return { error: SwitchboardError.from(error).toPayload() };
    }
  }
}
