import type { Redis } from "ioredis";

/** The log's events are split among workers by partition key into this many parts. */
export const WINDOW_PARTITIONS = 16;

/** Which partitions of the log this worker applies to windows. */
export type PartitionLeases = {
  /** Renews this worker's leases, takes free partitions up to a fair share, lets go of the rest. */
  refresh(): Promise<number[]>;
  release(): Promise<void>;
};

/** One worker without Redis: every partition is its own. */
export const allPartitions = (): PartitionLeases => ({
  refresh: async () => Array.from({ length: WINDOW_PARTITIONS }, (_, p) => p),
  release: async () => undefined,
});

// KEYS: 1 live workers (zset by last refresh) · ARGV: lease key prefix, worker id, now (ms),
// lease ms, partitions. A worker keeps at most ceil(partitions / live workers) and takes free
// ones up to that: a newcomer finds partitions freed by the others' next refresh.
const REFRESH = `
local prefix, id, now, lease, total = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
redis.call('ZADD', KEYS[1], now, id)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - lease)
local share = math.ceil(total / redis.call('ZCARD', KEYS[1]))
local owned = {}
for p = 0, total - 1 do
  if redis.call('GET', prefix .. p) == id then
    if #owned < share then
      redis.call('PEXPIRE', prefix .. p, lease)
      owned[#owned + 1] = p
    else
      redis.call('DEL', prefix .. p)
    end
  end
end
for p = 0, total - 1 do
  if #owned >= share then break end
  if redis.call('SET', prefix .. p, id, 'NX', 'PX', lease) then owned[#owned + 1] = p end
end
return owned
`;

const RELEASE = `
redis.call('ZREM', KEYS[1], ARGV[2])
for p = 0, tonumber(ARGV[3]) - 1 do
  if redis.call('GET', ARGV[1] .. p) == ARGV[2] then redis.call('DEL', ARGV[1] .. p) end
end
return 1
`;

type LeaseScripts = Redis & {
  lakeWindowLeases(...args: (string | number)[]): Promise<number[]>;
  lakeWindowLeasesRelease(...args: (string | number)[]): Promise<number>;
};

/**
 * Leases on the log's partitions in Redis, shared fairly among the workers that refresh them: a
 * worker that stops refreshing (it died) loses its partitions after `leaseMs` to the others, which
 * resume them from the offsets the store holds.
 */
export function redisPartitionLeases(options: {
  redis: Redis;
  namespace: string;
  workerId: string;
  leaseMs: number;
}): PartitionLeases {
  if (!("lakeWindowLeases" in options.redis)) {
    options.redis.defineCommand("lakeWindowLeases", { numberOfKeys: 1, lua: REFRESH });
    options.redis.defineCommand("lakeWindowLeasesRelease", { numberOfKeys: 1, lua: RELEASE });
  }
  const redis = options.redis as LeaseScripts;
  const workers = `${options.namespace}workers`;
  const prefix = `${options.namespace}lease:`;
  return {
    async refresh() {
      const owned = await redis.lakeWindowLeases(
        workers,
        prefix,
        options.workerId,
        Date.now(),
        options.leaseMs,
        WINDOW_PARTITIONS,
      );
      return owned.map(Number);
    },
    async release() {
      await redis.lakeWindowLeasesRelease(workers, prefix, options.workerId, WINDOW_PARTITIONS);
    },
  };
}
