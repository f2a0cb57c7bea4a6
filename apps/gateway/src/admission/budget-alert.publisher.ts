import { Inject, Injectable } from '@nestjs/common';
import type { BeforeApplicationShutdown } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { usageSubjects } from '@switchboard/contracts';
import type { BudgetAlertV1, SubjectNamespace } from '@switchboard/contracts';
import type { Budget } from '@switchboard/limits';
import { EventPublisher, NATS_CONNECTION } from '@switchboard/messaging';
import type { Logger } from '@switchboard/observability';
import { LOGGER, SUBJECT_NAMESPACE } from '../bootstrap/tokens';

export interface CrossedBudget {
  budget: Budget;
  spentNanoUsd: number;
  periodStart: number;
}

/** Publishes `soft_budget_crossed` alerts on the usage stream (the logging service delivers them to a webhook). */
@Injectable()
export class BudgetAlertPublisher implements BeforeApplicationShutdown {
  private readonly publisher: EventPublisher;
  private readonly subject: string;

  constructor(
    @Inject(NATS_CONNECTION) connection: NatsConnection,
    @Inject(SUBJECT_NAMESPACE) namespace: SubjectNamespace,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.subject = usageSubjects.budgetAlert(namespace);
    this.publisher = new EventPublisher(connection, {
      onRetry: (messageId, error) => logger.warn({ messageId, err: error }, 'budget alert not stored yet; retrying'),
    });
  }

  publish(crossed: readonly CrossedBudget[], keyAlias: string | undefined): void {
    for (const { budget, spentNanoUsd, periodStart } of crossed) {
      const separator = budget.scope.indexOf(':');
      const entityType = separator > 0 ? budget.scope.slice(0, separator) : budget.scope;
      const alert: BudgetAlertV1 = {
        v: 1,
        type: 'soft_budget_crossed',
        entityType,
        entityId: separator > 0 ? budget.scope.slice(separator + 1) : budget.scope,
        keyAlias: entityType === 'key' ? keyAlias : undefined,
        softBudget: (budget.softLimitNanoUsd ?? 0) / 1e9,
        maxBudget: budget.limitNanoUsd === Number.MAX_SAFE_INTEGER ? undefined : budget.limitNanoUsd / 1e9,
        spend: spentNanoUsd / 1e9,
        periodStart: new Date(periodStart).toISOString(),
        occurredAt: new Date().toISOString(),
      };
      this.logger.warn({ entityType, keyAlias: alert.keyAlias, spend: alert.spend, softBudget: alert.softBudget }, 'soft budget crossed');
      this.publisher.publish(this.subject, `budget-alert:${budget.scope}:${periodStart}`, alert);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.publisher.flush(5_000);
  }
}
