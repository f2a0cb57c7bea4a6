import { Module } from '@nestjs/common';
import type { DynamicModule, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Inject } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import type { DataSource } from 'typeorm';
import { HealthModule } from '@switchboard/observability';
import { BudgetController } from './budget.controller';
import type { BudgetSettings } from './budget-settings.schema';
import { PeriodSpendService } from './period-spend.service';
import { SpendReportsModule } from './spend-reports.module';
import type { SpendReportsService } from './spend-reports.service';
import { UsageLedgerService } from './usage-ledger.service';

export interface BudgetBoot {
  settings: BudgetSettings;
  connection: NatsConnection;
  dataSource: DataSource;
  ledger: UsageLedgerService;
  periods: PeriodSpendService;
  reports: SpendReportsService;
}

/** Starts the ledger's streams and advisories before the transport opens its consumer; stops them last. */
class LedgerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(UsageLedgerService) private readonly ledger: UsageLedgerService) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ledger.start();
  }

  onApplicationShutdown(): void {
    this.ledger.stop();
  }
}

/**
 * The budget service as one Nest microservice (docs/ARCHITECTURE.md D1): the usage stream into the
 * ledger (a JetStream `@EventPattern`, in batches), the period-spend and spend-report commands, and its
 * probes.
 */
@Module({})
export class BudgetModule {
  static create(boot: BudgetBoot): DynamicModule {
    return {
      module: BudgetModule,
      imports: [
        HealthModule.forRoot({
          probes: () => ({
            nats: () => !boot.connection.isClosed() && !boot.connection.isDraining(),
            db: async () => (await boot.dataSource.query('SELECT 1'), true),
          }),
          server: { port: boot.settings.BUDGET_HEALTH_PORT, host: boot.settings.BUDGET_HEALTH_HOST },
        }),
        SpendReportsModule.create(boot.reports),
      ],
      controllers: [BudgetController],
      providers: [
        { provide: UsageLedgerService, useValue: boot.ledger },
        { provide: PeriodSpendService, useValue: boot.periods },
        LedgerLifecycle,
      ],
    };
  }
}
