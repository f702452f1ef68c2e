import { randomBytes } from "node:crypto";

import type { Redis } from "ioredis";

import type { RateLimitResult } from "./rate-limit";

/**
 * The shared sliding-window log: one sorted set per key, whose members are the counted requests
 * (one member per point) scored by when they were made. One script trims, counts and appends, so
 * concurrent consumers on any number of instances can never overshoot the limit; it reads the
 * time from Redis, so instances whose clocks disagree still agree on the window.
 *
 * KEYS[1] the log · ARGV window ms, limit, cost, an id unique to this call.
 * Returns { allowed (1|0), remaining, resetMs } — see `RateLimitResult`.
 *
 * Redis ≥ 5 replicates a script's effects rather than the script, which is what allows a write
 * after the non-deterministic TIME (BullMQ needs a newer Redis anyway).
 */
const SCRIPT = `
local key = KEYS[1]
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)

if count + cost <= limit then
  local args = {}
  for i = 1, cost do
    args[#args + 1] = now
    args[#args + 1] = ARGV[4] .. '.' .. i
    -- in slices: unpack() is bounded by Lua's C stack
    if #args >= 1000 or i == cost then
      redis.call('ZADD', key, unpack(args))
      args = {}
    end
  end
  redis.call('PEXPIRE', key, window)
  return { 1, limit - count - cost, window }
end

-- Rejected, and not logged. It fits once the entry at this rank has left the window; a cost
-- above the limit never fits, so it is told when the log will be empty.
local frees_at = now
if cost <= limit then
  local rank = count + cost - limit - 1
  frees_at = tonumber(redis.call('ZRANGE', key, rank, rank, 'WITHSCORES')[2]) + window
elseif count > 0 then
  frees_at = tonumber(redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')[2]) + window
end
return { 0, limit - count, frees_at - now }
`;

const COMMAND = "lakeSlidingWindowConsume";

type ScriptedRedis = Redis & {
  [COMMAND](
    key: string,
    windowMs: number,
    limit: number,
    cost: number,
    id: string,
  ): Promise<unknown>;
};

/** Defined once per client; ioredis sends EVALSHA and falls back to EVAL on NOSCRIPT. */
function withScript(redis: Redis): ScriptedRedis {
  if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: SCRIPT });
  return redis as ScriptedRedis;
}

// Members must be unique across instances, or two requests in the same millisecond would count
// once: a random prefix per process and a counter.
const processId = randomBytes(6).toString("base64url");
let sequence = 0;

export type CreateRedisSlidingWindowOptions = {
  redis: Redis;
  limit: number;
  windowMs: number;
};

/** Rejects when Redis does (down, timed out): the caller falls back. */
export function createRedisSlidingWindow(options: CreateRedisSlidingWindowOptions) {
  const { limit, windowMs } = options;
  const redis = withScript(options.redis);
  return {
    async consume(key: string, cost: number): Promise<RateLimitResult> {
      const id = `${processId}${(sequence++).toString(36)}`;
      const reply = await redis[COMMAND](key, windowMs, limit, cost, id);
      if (!Array.isArray(reply) || reply.length !== 3 || !reply.every(Number.isInteger)) {
        throw new Error(`unexpected reply from the rate-limit script: ${JSON.stringify(reply)}`);
      }
      const [allowed, remaining, resetMs] = reply as [number, number, number];
      return { allowed: allowed === 1, limit, remaining, resetMs };
    },
  };
}
