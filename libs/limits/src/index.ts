export { BudgetReservations } from './budget-reservations';
export type { Budget, Reservation, ReserveResult } from './budget-reservations';
export { SlidingWindowLimiter } from './sliding-window-limiter';
export type { RateLimit, RateLimitResult } from './sliding-window-limiter';
