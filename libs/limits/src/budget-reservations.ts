import type { Redis } from 'ioredis';

/**
 * Atomic budget admission in Redis, one round trip each way (Lua):
 * - `reserve` checks spent + reserved + this request's maximum cost against every budget that
 *   applies and, only if all have room, reserves it on all of them;
 * - `settle` replaces the reservation with the real cost;
 * - a reservation not settled within its TTL expires and is released on the next admission.
 * Amounts are integer nano-dollars (exact in Lua's doubles up to $9 million per budget period).
 */
const reserveScript = `
local now = tonumber(ARGV[1])
local amount = tonumber(ARGV[2])
local expires = now + tonumber(ARGV[3])
local reservation = ARGV[4]
local budgets = #KEYS / 3
for i = 0, budgets - 1 do
  local spent_key, reserved_key, pending_key = KEYS[i * 3 + 1], KEYS[i * 3 + 2], KEYS[i * 3 + 3]
  local expired = redis.call('ZRANGEBYSCORE', pending_key, '-inf', now)
  for _, member in ipairs(expired) do
    local separator = string.find(member, '|', 1, true)
    redis.call('DECRBY', reserved_key, tonumber(string.sub(member, separator + 1)))
    redis.call('ZREM', pending_key, member)
  end
  local limit = tonumber(ARGV[5 + i])
  local spent = tonumber(redis.call('GET', spent_key) or '0')
  local reserved = tonumber(redis.call('GET', reserved_key) or '0')
  if spent >= limit or spent + reserved + amount > limit then
    return {0, i, spent, reserved}
  end
end
for i = 0, budgets - 1 do
  local spent_key, reserved_key, pending_key = KEYS[i * 3 + 1], KEYS[i * 3 + 2], KEYS[i * 3 + 3]
  local ttl = tonumber(ARGV[5 + budgets + i])
  redis.call('INCRBY', reserved_key, amount)
  redis.call('ZADD', pending_key, expires, reservation .. '|' .. amount)
  redis.call('PEXPIRE', reserved_key, ttl)
  redis.call('PEXPIRE', pending_key, ttl)
  redis.call('PEXPIRE', spent_key, ttl)
end
return {1, -1, 0, 0}
`;

const settleScript = `
local reservation = ARGV[1]
local actual = tonumber(ARGV[2])
local amount = tonumber(ARGV[3])
local budgets = #KEYS / 3
local spent = {}
for i = 0, budgets - 1 do
  local spent_key, reserved_key, pending_key = KEYS[i * 3 + 1], KEYS[i * 3 + 2], KEYS[i * 3 + 3]
  if redis.call('ZREM', pending_key, reservation .. '|' .. amount) == 1 then
    redis.call('DECRBY', reserved_key, amount)
  end
  if actual > 0 then redis.call('INCRBY', spent_key, actual) end
  spent[i + 1] = tonumber(redis.call('GET', spent_key) or '0')
end
return spent
`;

export interface Budget {
  /** Stable name of what the budget belongs to: `global`, `key:<hash>`, `team:<id>` ... */
  scope: string;
  limitNanoUsd: number;
  /** Budget period in ms (`budget_duration`); the counters reset at its boundary. */
  periodMs: number;
  /** `soft_budget`: crossing it raises one alert per period (the request still goes through). */
  softLimitNanoUsd?: number;
}

export interface Reservation {
  id: string;
  amountNanoUsd: number;
  keys: string[];
  budgets: Budget[];
  /** When it was made: the budget periods it counts in. */
  madeAt: number;
}

export type ReserveResult = { admitted: true; reservation: Reservation } | { admitted: false; scope: string; spentNanoUsd: number };

export class BudgetReservations {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly reservationTtlMs = 600_000,
  ) {}

  private keysFor(budget: Budget, now: number): string[] {
    const period = Math.floor(now / budget.periodMs);
    const base = `${this.keyPrefix}budget:${budget.scope}:${period}`;
    return [`${base}:spent`, `${base}:reserved`, `${base}:pending`];
  }

  async reserve(budgets: readonly Budget[], amountNanoUsd: number, reservationId: string, now = Date.now()): Promise<ReserveResult> {
    if (budgets.length === 0) return { admitted: true, reservation: { id: reservationId, amountNanoUsd, keys: [], budgets: [], madeAt: now } };
    const keys = budgets.flatMap((budget) => this.keysFor(budget, now));
    const limits = budgets.map((budget) => String(budget.limitNanoUsd));
    const ttls = budgets.map((budget) => String(budget.periodMs + 3_600_000));
    const result = (await this.redis.eval(reserveScript, keys.length, ...keys, String(now), String(amountNanoUsd), String(this.reservationTtlMs), reservationId, ...limits, ...ttls)) as number[];
    if (result[0] === 1) return { admitted: true, reservation: { id: reservationId, amountNanoUsd, keys, budgets: [...budgets], madeAt: now } };
    return { admitted: false, scope: budgets[result[1]].scope, spentNanoUsd: result[2] };
  }

  /** Settles the reservation; answers each budget's spend in its period afterwards. */
  async settle(reservation: Reservation, actualNanoUsd: number): Promise<number[]> {
    if (reservation.keys.length === 0) return [];
    return (await this.redis.eval(settleScript, reservation.keys.length, ...reservation.keys, reservation.id, String(Math.max(0, Math.ceil(actualNanoUsd))), String(reservation.amountNanoUsd))) as number[];
  }

  /**
   * The budgets whose soft limit the spend has reached and that have not alerted yet this period:
   * one `SET NX` per crossed budget, so every gateway instance together raises one alert.
   */
  async claimSoftAlerts(reservation: Reservation, spent: readonly number[]): Promise<Array<{ budget: Budget; spentNanoUsd: number; periodStart: number }>> {
    const claimed: Array<{ budget: Budget; spentNanoUsd: number; periodStart: number }> = [];
    for (const [index, budget] of reservation.budgets.entries()) {
      const spentNanoUsd = spent[index] ?? 0;
      if (budget.softLimitNanoUsd === undefined || spentNanoUsd < budget.softLimitNanoUsd) continue;
      const period = Math.floor(reservation.madeAt / budget.periodMs);
      const marker = `${this.keyPrefix}budget:${budget.scope}:${period}:soft-alerted`;
      if ((await this.redis.set(marker, '1', 'PX', Math.min(budget.periodMs + 3_600_000, 2_147_483_647), 'NX')) === 'OK') {
        claimed.push({ budget, spentNanoUsd, periodStart: period * budget.periodMs });
      }
    }
    return claimed;
  }
}
