export { BudgetReservations, BudgetSeedError } from './budget-reservations';
export type { Budget, BudgetPeriod, BudgetReservationOptions, LedgerSpendSource, Reservation, ReserveResult, SettledSpend } from './budget-reservations';
export { SlidingWindowLimiter } from './sliding-window-limiter';
export type { RateLimit, RateLimitResult } from './sliding-window-limiter';
export { TokenWindowLimiter } from './token-window-limiter';
export type { TokenLimit, TokenLimitResult } from './token-window-limiter';
export { ParallelRequestLimiter } from './parallel-request-limiter';
export type { ParallelLimit, ParallelResult } from './parallel-request-limiter';
