export { SpendLedgerRepository } from './spend-ledger.repository';
export { SpendReportRepository } from './spend-report.repository';
export type { DailyEntitySpend, EntityRef, KeyAliasSpend, ModelSpend, SpendLogFilter, TagSpend } from './spend-report.repository';
export { SpendPeriodRepository } from './spend-period.repository';
export type { PeriodSpendQuery, SpendScope } from './spend-period.repository';
export type { LedgerEntry, SpendEntityType } from './ledger-entry';
export { SpendLedgerEntryEntity } from './entities/spend-ledger-entry.entity';
export { SpendTotalEntity } from './entities/spend-total.entity';
export { SpendDailyEntity } from './entities/spend-daily.entity';
export { createSpendDataSource, spendEntities } from './spend-data-source';
export type { DataSourceOptions } from './spend-data-source';
export { CreateSpendLedger1764000100000 } from './migrations/1764000100000-create-spend-ledger';
export { CreateSpendDaily1764000300000 } from './migrations/1764000300000-create-spend-daily';
export { AddLedgerKeyId1764000600000 } from './migrations/1764000600000-add-ledger-key-id';
export { AddLedgerCacheHit1764002000000 } from './migrations/1764002000000-add-ledger-cache-hit';

import { CreateSpendLedger1764000100000 } from './migrations/1764000100000-create-spend-ledger';
import { CreateSpendDaily1764000300000 } from './migrations/1764000300000-create-spend-daily';
import { AddSpendPrompts1764000400000 } from './migrations/1764000400000-add-spend-prompts';
import { AddLedgerKeyId1764000600000 } from './migrations/1764000600000-add-ledger-key-id';
import { AddLedgerCacheHit1764002000000 } from './migrations/1764002000000-add-ledger-cache-hit';

/** Every migration of the spend context, in order. */
export const spendMigrations = [CreateSpendLedger1764000100000, CreateSpendDaily1764000300000, AddSpendPrompts1764000400000, AddLedgerKeyId1764000600000, AddLedgerCacheHit1764002000000];
