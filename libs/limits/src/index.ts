export { AdmissionGate, BudgetSeedError } from './admission-gate';
export type { AdmissionGateOptions, AdmissionRequest, AdmissionResult, Admitted, LedgerSpendSource, SettledSpend } from './admission-gate';
export type { Budget, BudgetPeriod, ParallelLimit, RateLimit, TokenLimit } from './limits';
