import { Controller, Inject, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  budgetQueueGroup,
  busPatterns,
  calculateSpendRequestSchema,
  dailySpendRequestSchema,
  spendByTagRequestSchema,
  spendLogsRequestSchema,
  spendSummaryRequestSchema,
  spendTotalsRequestSchema,
} from '@switchboard/contracts';
import type {
  CalculateSpendReplyV1,
  CalculateSpendRequestV1,
  DailySpendReplyV1,
  DailySpendRequestV1,
  SpendByKeyReplyV1,
  SpendByModelReplyV1,
  SpendByTagReplyV1,
  SpendByTagRequestV1,
  SpendLogsReplyV1,
  SpendLogsRequestV1,
  SpendSummaryRequestV1,
  SpendTotalsReplyV1,
  SpendTotalsRequestV1,
} from '@switchboard/contracts';
import { BusExceptionFilter, BusPayloadPipe } from '@switchboard/messaging';
import { SpendReportsService } from './spend-reports.service';

const inBudgetGroup = { queue: budgetQueueGroup };

/** The spend report commands, in the queue group `budget`: validate, call one service method, reply. */
@Controller()
@UseFilters(BusExceptionFilter)
export class SpendReportsController {
  constructor(@Inject(SpendReportsService) private readonly reports: SpendReportsService) {}

  @MessagePattern(busPatterns.budgetSpendLogs, inBudgetGroup)
  logs(@Payload(new BusPayloadPipe(spendLogsRequestSchema)) request: SpendLogsRequestV1): Promise<SpendLogsReplyV1> {
    return this.reports.logs(request);
  }

  @MessagePattern(busPatterns.budgetSpendByModel, inBudgetGroup)
  byModel(@Payload(new BusPayloadPipe(spendSummaryRequestSchema)) _request: SpendSummaryRequestV1): Promise<SpendByModelReplyV1> {
    return this.reports.byModel();
  }

  @MessagePattern(busPatterns.budgetSpendByKey, inBudgetGroup)
  byKey(@Payload(new BusPayloadPipe(spendSummaryRequestSchema)) _request: SpendSummaryRequestV1): Promise<SpendByKeyReplyV1> {
    return this.reports.byKey();
  }

  @MessagePattern(busPatterns.budgetDailySpend, inBudgetGroup)
  daily(@Payload(new BusPayloadPipe(dailySpendRequestSchema)) request: DailySpendRequestV1): Promise<DailySpendReplyV1> {
    return this.reports.daily(request);
  }

  @MessagePattern(busPatterns.budgetSpendByTag, inBudgetGroup)
  byTag(@Payload(new BusPayloadPipe(spendByTagRequestSchema)) request: SpendByTagRequestV1): Promise<SpendByTagReplyV1> {
    return this.reports.byTag(request);
  }

  @MessagePattern(busPatterns.budgetSpendTotals, inBudgetGroup)
  totals(@Payload(new BusPayloadPipe(spendTotalsRequestSchema)) request: SpendTotalsRequestV1): Promise<SpendTotalsReplyV1> {
    return this.reports.totals(request);
  }

  @MessagePattern(busPatterns.budgetCalculateSpend, inBudgetGroup)
  calculate(@Payload(new BusPayloadPipe(calculateSpendRequestSchema)) request: CalculateSpendRequestV1): CalculateSpendReplyV1 {
    return this.reports.calculate(request);
  }
}
