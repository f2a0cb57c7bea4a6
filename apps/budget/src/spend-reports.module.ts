import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { SpendReportsController } from './spend-reports.controller';
import { SpendReportsService } from './spend-reports.service';

/**
 * The budget service's spend reports as a Nest microservice over the bus transport (docs/ARCHITECTURE.md
 * D1, D16). Served beside the ledger consumer, which is not a Nest handler yet.
 */
@Module({})
export class SpendReportsModule {
  static create(service: SpendReportsService): DynamicModule {
    return { module: SpendReportsModule, controllers: [SpendReportsController], providers: [{ provide: SpendReportsService, useValue: service }] };
  }
}
