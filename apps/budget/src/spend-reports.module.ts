import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { SpendReportsController } from './spend-reports.controller';
import { SpendReportsService } from './spend-reports.service';

/** The budget service's spend reports (docs/ARCHITECTURE.md D16): a module of the budget microservice. */
@Module({})
export class SpendReportsModule {
  static create(service: SpendReportsService): DynamicModule {
    return { module: SpendReportsModule, controllers: [SpendReportsController], providers: [{ provide: SpendReportsService, useValue: service }] };
  }
}
