import type { Redis } from "ioredis";

// The window store's steps, each one script so that concurrent workers see each other's steps
// whole. KEYS: 1 open windows (zset by close time) · 2 closing windows (zset by lease end) ·
// 3 applied offsets (hash by partition) · 4 late events (zset by time, a JSON member each) ·
// 5 the store's clock. A window's numbers live in a hash under ARGV[1] .. its key, written only
// by these scripts (so not declared as KEYS: the store runs on one Redis, not a cluster).
//
// The clock is the largest of the caller's time, Redis's time and the last time used: it never
// runs back, so a window claimed for closing at t is late for every step after, on any worker.
// Redis ≥ 5 replicates a script's effects, which allows writes after TIME.
const CLOCK = `
local function clock(callerNow)
  local time = redis.call('TIME')
  local now = math.max(tonumber(callerNow), tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000),
                       tonumber(redis.call('GET', KEYS[5]) or '0'))
  redis.call('SET', KEYS[5], now)
  return now
end
`;

/**
 * ARGV: hash prefix, caller's now, partition count P, then P × (partition, expected, next), then
 * per delta: key, closeAt, identity JSON, count, sum, min, max, rejected, late JSON ('' = none).
 * Returns 0 (a partition moved: nothing applied) or 1.
 */
const APPLY = `${CLOCK}
local prefix = ARGV[1]
local now = clock(ARGV[2])
local parts = tonumber(ARGV[3])
local i = 4
for p = 1, parts do
  local current = redis.call('HGET', KEYS[3], ARGV[i])
  if current and current ~= ARGV[i + 1] then return 0 end
  i = i + 3
end
while i <= #ARGV do
  local key, closeAt = ARGV[i], tonumber(ARGV[i + 1])
  if closeAt <= now or redis.call('ZSCORE', KEYS[2], key) then
    redis.call('ZADD', KEYS[4], now, ARGV[i + 8])
  else
    local hash = prefix .. key
    if redis.call('HSETNX', hash, 'm', ARGV[i + 2]) == 1 then
      redis.call('ZADD', KEYS[1], closeAt, key)
    end
    redis.call('HINCRBY', hash, 'c', ARGV[i + 3])
    redis.call('HINCRBYFLOAT', hash, 's', ARGV[i + 4])
    if ARGV[i + 5] ~= '' then
      local min = redis.call('HGET', hash, 'mn')
      if not min or tonumber(ARGV[i + 5]) < tonumber(min) then redis.call('HSET', hash, 'mn', ARGV[i + 5]) end
      local max = redis.call('HGET', hash, 'mx')
      if not max or tonumber(ARGV[i + 6]) > tonumber(max) then redis.call('HSET', hash, 'mx', ARGV[i + 6]) end
    end
    redis.call('HINCRBY', hash, 'r', ARGV[i + 7])
  end
  i = i + 9
end
i = 4
for p = 1, parts do
  redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 2])
  i = i + 3
end
return 1
`;

/**
 * ARGV: hash prefix, caller's now, lease ms, limit. Windows whose lease lapsed, then windows
 * whose close time has passed, leased to the caller: { key, {field, value, …} } each.
 */
const CLAIM = `${CLOCK}
local prefix = ARGV[1]
local now = clock(ARGV[2])
local limit = tonumber(ARGV[4])
local keys = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, limit)
if #keys < limit then
  for _, key in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, limit - #keys)) do
    redis.call('ZREM', KEYS[1], key)
    keys[#keys + 1] = key
  end
end
local out = {}
for _, key in ipairs(keys) do
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), key)
  out[#out + 1] = { key, redis.call('HGETALL', prefix .. key) }
end
return out
`;

const COMMANDS = { lakeWindowApply: APPLY, lakeWindowClaim: CLAIM };

export type WindowScripts = Redis & {
  lakeWindowApply(...args: (string | number)[]): Promise<number>;
  lakeWindowClaim(...args: (string | number)[]): Promise<[string, string[]][]>;
};

/** Defined once per client; ioredis sends EVALSHA and falls back to EVAL on NOSCRIPT. */
export function withWindowScripts(redis: Redis): WindowScripts {
  for (const [name, lua] of Object.entries(COMMANDS)) {
    if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 5, lua });
  }
  return redis as WindowScripts;
}
