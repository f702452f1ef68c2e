import type { Redis } from "ioredis";

// The window store's steps, each one script so that concurrent workers see each other's steps
// whole. KEYS: 1 open windows (zset by close time) · 2 closing windows (zset by lease end) ·
// 3 applied offsets (hash by partition) · 4 late events (zset by time, a JSON member each) ·
// 5 the close horizon: windows closing at or before it have been handed out for storing (the
// first version kept its clock there, the same bound) · 6 the partitions' log times (hash by
// partition, PartitionPosition.through). A window's numbers live in a hash under ARGV[1] .. its
// key, written only by these scripts (so not declared as KEYS: the store runs on one Redis, not a
// cluster). Redis ≥ 5 replicates a script's effects, which allows writes after TIME.
const TIME = `
local function redisTime()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
`;

/**
 * ARGV: hash prefix, partition count P, then P × (partition, expected offset, expected through,
 * next offset, next through), late entry count L, then L late JSON members, then per delta: key,
 * closeAt, identity JSON, count, sum, min, max, rejected, late JSON.
 * Returns 0 (a partition moved: nothing applied) or 1.
 */
const APPLY = `${TIME}
local prefix = ARGV[1]
local parts = tonumber(ARGV[2])
local i = 3
for p = 1, parts do
  local offset = redis.call('HGET', KEYS[3], ARGV[i])
  if offset and offset ~= ARGV[i + 1] then return 0 end
  local through = redis.call('HGET', KEYS[6], ARGV[i])
  if through and through ~= ARGV[i + 2] then return 0 end
  i = i + 5
end
local now = redisTime()
local closed = tonumber(redis.call('GET', KEYS[5]) or '0')
local lateCount = tonumber(ARGV[i])
for k = 1, lateCount do redis.call('ZADD', KEYS[4], now, ARGV[i + k]) end
i = i + lateCount + 1
while i <= #ARGV do
  local key, closeAt = ARGV[i], tonumber(ARGV[i + 1])
  -- Never reopened: a window handed out for storing is the one stored.
  if closeAt <= closed or redis.call('ZSCORE', KEYS[2], key) then
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
i = 3
for p = 1, parts do
  redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 3])
  redis.call('HSET', KEYS[6], ARGV[i], ARGV[i + 4])
  i = i + 5
end
return 1
`;

/**
 * ARGV: hash prefix, caller's now, lease ms, limit, partition count. Windows whose lease lapsed,
 * then windows whose close time every partition's log time has passed (none until every
 * partition has one), leased to the caller: { key, {field, value, …} } each. Leases run on the
 * later of the caller's clock and Redis's.
 */
const CLAIM = `${TIME}
local prefix = ARGV[1]
local now = math.max(tonumber(ARGV[2]), redisTime())
local limit = tonumber(ARGV[4])
local keys = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, limit)
local closed = tonumber(redis.call('GET', KEYS[5]) or '0')
local times = redis.call('HVALS', KEYS[6])
if #times >= tonumber(ARGV[5]) then
  local horizon = math.huge
  for _, time in ipairs(times) do horizon = math.min(horizon, tonumber(time)) end
  if horizon > closed then
    closed = horizon
    redis.call('SET', KEYS[5], string.format('%d', closed))
  end
end
if #keys < limit then
  for _, key in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', closed, 'LIMIT', 0, limit - #keys)) do
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
    if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 6, lua });
  }
  return redis as WindowScripts;
}
