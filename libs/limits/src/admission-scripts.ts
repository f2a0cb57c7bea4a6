/**
 * The Lua scripts of admission (docs/ARCHITECTURE.md D16). `admit` checks and takes every
 * limit of one request in one call; `settle` gives back what the request took in one call; `seed`
 * writes a budget period's counter from the ledger. Windows use Redis's own clock (`TIME`), so the
 * gateway instances' clocks do not matter; budget periods and reservation expiry use the
 * instance's clock, which dates the request as the ledger does.
 *
 * Keys of `admit`, in order: one sorted set per `max_parallel_requests` scope; one sorted set of
 * `request|tokens` members per `tpm_limit` scope (its running total at `<key>:total`); one sorted
 * set of request timestamps per `rpm_limit` scope; and per budget its period's `spent` counter, its
 * `reserved` total and the `pending` reservations it expires from.
 *
 * ARGV: 1-4 the number of parallel, token, request and budget limits; 5 the request id; 6 the
 * parallel lease; 7 the instance's now; 8 the budget reservation; 9 its ttl; 10 the ttl of the
 * reservation pools; then per parallel limit its limit; per token and request limit its limit and
 * window; per budget its limit, whether reaching it refuses (1) or exceeding it (0), and its
 * counter's ttl.
 *
 * Answers: `{1, requests remaining, tokens remaining}` admitted (-1: no such limit); `{2, budget
 * indexes...}` these budgets' counters are missing (nothing taken); `{0 | 3, index, spent,
 * reserved}` a budget is exceeded | committed; `{4, index}` parallel slots are full; `{5 | 6, index,
 * used, retry after ms}` the token | request window is full. Nothing is taken unless all pass.
 */
export const admitScript = `
local time = redis.call('TIME')
local clock = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local np, nt, nr, nb = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local id, lease, now = ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7])
local amount, reservation_ttl, hold_ttl = tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10])
local tk, rk, bk = np, np + nt, np + nt + nr
local ta, ra, ba = 10 + np, 10 + np + nt * 2, 10 + np + nt * 2 + nr * 2

local missing = {}
for i = 0, nb - 1 do
  if redis.call('EXISTS', KEYS[bk + i * 3 + 1]) == 0 then missing[#missing + 1] = i end
end
if #missing > 0 then return {2, unpack(missing)} end

for i = 1, np do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', clock)
  if redis.call('ZCARD', KEYS[i]) >= tonumber(ARGV[10 + i]) then return {4, i - 1} end
end

local function retry_after(key, window)
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  if oldest[2] then return tonumber(oldest[2]) + window - clock end
  return window
end

local tokens_left = -1
for i = 1, nt do
  local key, limit, window = KEYS[tk + i], tonumber(ARGV[ta + i * 2 - 1]), tonumber(ARGV[ta + i * 2])
  local total_key = key .. ':total'
  for _, member in ipairs(redis.call('ZRANGEBYSCORE', key, '-inf', clock - window)) do
    redis.call('DECRBY', total_key, tonumber(string.sub(member, string.find(member, '|', 1, true) + 1)))
    redis.call('ZREM', key, member)
  end
  local used = tonumber(redis.call('GET', total_key) or '0')
  if used >= limit then return {5, i - 1, used, retry_after(key, window)} end
  if tokens_left < 0 or limit - used < tokens_left then tokens_left = limit - used end
end

local requests_left = -1
for i = 1, nr do
  local key, limit, window = KEYS[rk + i], tonumber(ARGV[ra + i * 2 - 1]), tonumber(ARGV[ra + i * 2])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', clock - window)
  local count = redis.call('ZCARD', key)
  if count >= limit then return {6, i - 1, count, retry_after(key, window)} end
  if requests_left < 0 or limit - count - 1 < requests_left then requests_left = limit - count - 1 end
end

local spent, reserved = {}, {}
for i = 0, nb - 1 do
  local reserved_key, pending_key = KEYS[bk + i * 3 + 2], KEYS[bk + i * 3 + 3]
  for _, old in ipairs(redis.call('ZRANGEBYSCORE', pending_key, '-inf', now)) do
    redis.call('DECRBY', reserved_key, tonumber(string.sub(old, string.find(old, '|', 1, true) + 1)))
    redis.call('ZREM', pending_key, old)
  end
  spent[i] = tonumber(redis.call('GET', KEYS[bk + i * 3 + 1]) or '0')
  reserved[i] = math.max(0, tonumber(redis.call('GET', reserved_key) or '0'))
end
local function over(i, value)
  local limit, reached = tonumber(ARGV[ba + i * 3 + 1]), ARGV[ba + i * 3 + 2] == '1'
  return (reached and value >= limit) or ((not reached) and value > limit)
end
for i = 0, nb - 1 do
  if over(i, spent[i]) then return {0, i, spent[i], reserved[i]} end
end
for i = 0, nb - 1 do
  if over(i, spent[i] + reserved[i]) then return {3, i, spent[i], reserved[i]} end
end

for i = 1, np do
  redis.call('ZADD', KEYS[i], clock + lease, id)
  redis.call('PEXPIRE', KEYS[i], lease)
end
for i = 1, nr do
  redis.call('ZADD', KEYS[rk + i], clock, id)
  redis.call('PEXPIRE', KEYS[rk + i], tonumber(ARGV[ra + i * 2]))
end
local member = id .. '|' .. ARGV[8]
for i = 0, nb - 1 do
  local spent_key, reserved_key, pending_key = KEYS[bk + i * 3 + 1], KEYS[bk + i * 3 + 2], KEYS[bk + i * 3 + 3]
  redis.call('INCRBY', reserved_key, amount)
  redis.call('ZADD', pending_key, now + reservation_ttl, member)
  redis.call('PEXPIRE', reserved_key, hold_ttl)
  redis.call('PEXPIRE', pending_key, hold_ttl)
  redis.call('PEXPIRE', spent_key, tonumber(ARGV[ba + i * 3 + 3]))
end
return {1, requests_left, tokens_left}
`;

/**
 * Keys: the parallel scopes' sets; the token scopes' sets; per budget its `reserved`, `pending`,
 * the settling period's `spent` and that period's `unseeded` journal. ARGV: 1-3 the number of
 * parallel, token and budget limits; 4 the request id; 5 its tokens; 6 its reservation; 7 its real
 * cost; then per token limit its window; per budget its counter's ttl. Answers each budget's spend
 * in the settling period (-1: the counter is missing and the cost went to the journal).
 */
export const settleScript = `
local time = redis.call('TIME')
local clock = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local np, nt, nb = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local id, tokens, reservation, actual = ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
for i = 1, np do redis.call('ZREM', KEYS[i], id) end
if tokens > 0 then
  for i = 1, nt do
    local key, window = KEYS[np + i], tonumber(ARGV[7 + i])
    redis.call('ZADD', key, clock, id .. '|' .. tokens)
    redis.call('INCRBY', key .. ':total', tokens)
    redis.call('PEXPIRE', key, window)
    redis.call('PEXPIRE', key .. ':total', window)
  end
end
local member = id .. '|' .. ARGV[6]
local spent = {}
for i = 0, nb - 1 do
  local base = np + nt + i * 4
  local reserved_key, pending_key, spent_key, journal_key = KEYS[base + 1], KEYS[base + 2], KEYS[base + 3], KEYS[base + 4]
  if redis.call('ZREM', pending_key, member) == 1 then redis.call('DECRBY', reserved_key, reservation) end
  if redis.call('EXISTS', spent_key) == 1 then
    if actual > 0 then redis.call('INCRBY', spent_key, actual) end
    spent[i + 1] = tonumber(redis.call('GET', spent_key))
  else
    if actual > 0 then
      redis.call('HSET', journal_key, id, actual)
      redis.call('PEXPIRE', journal_key, tonumber(ARGV[8 + nt + i]))
    end
    spent[i + 1] = -1
  end
end
return spent
`;

/**
 * Keys: a period's `spent`, its `unseeded` journal, the budget's `pending` reservations. ARGV: the
 * ledger's sum, the counter's ttl, the request ids the sum left out. Answers 1 seeded (or already
 * seeded by someone else), -1 a request settled or was admitted meanwhile that the sum did not
 * leave out: ask the ledger again.
 */
export const seedScript = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 1 end
local left_out = {}
for i = 3, #ARGV do left_out[ARGV[i]] = true end
local total = tonumber(ARGV[1])
local journal = redis.call('HGETALL', KEYS[2])
for j = 1, #journal, 2 do
  if not left_out[journal[j]] then return -1 end
  total = total + tonumber(journal[j + 1])
end
for _, member in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do
  if not left_out[string.sub(member, 1, string.find(member, '|', 1, true) - 1)] then return -1 end
end
redis.call('SET', KEYS[1], string.format('%.0f', total), 'PX', tonumber(ARGV[2]))
redis.call('DEL', KEYS[2])
return 1
`;
