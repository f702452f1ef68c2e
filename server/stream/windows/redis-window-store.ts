import type { Redis } from "ioredis";
import { z } from "zod";

import { type WindowIdentity } from "./window-deltas";
import { withWindowScripts } from "./redis-window-scripts";
import { WINDOW_PARTITIONS } from "./window-partitions";
import { type ClosedWindow, type LateEvents, type WindowStore } from "./window-store";

const identitySchema = z.object({
  ruleId: z.string(),
  start: z.number(),
  end: z.number(),
  closeAt: z.number(),
  groupKey: z.string(),
  groupValues: z.record(z.string(), z.unknown()),
  ownerId: z.string().nullable(),
  policy: z.enum(["user_data", "analytics"]),
});

const lateSchema = z.object({
  ruleId: z.string(),
  start: z.number(),
  groupKey: z.string(),
  offsets: z.array(z.string()),
});

/** A window's hash as HGETALL returns it, [field, value, …], back into a window. */
function windowOf(key: string, fields: string[]): ClosedWindow | undefined {
  const hash = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) hash.set(fields[i]!, fields[i + 1]!);
  const meta = hash.get("m");
  if (meta === undefined) return undefined;
  const number = (field: string) => (hash.has(field) ? Number(hash.get(field)) : null);
  return {
    key,
    ...identitySchema.parse(JSON.parse(meta)),
    count: number("c") ?? 0,
    sum: number("s") ?? 0,
    min: number("mn"),
    max: number("mx"),
    rejected: number("r") ?? 0,
  };
}

/**
 * Open windows in Redis, shared by every worker of the engine: each step is one script
 * (redis-window-scripts.ts), so a batch's deltas and its partitions' offsets move together and a
 * window is handed to one closer at a time. Keys under `namespace`, e.g. "lake:win:".
 */
export function createRedisWindowStore(options: { redis: Redis; namespace: string }): WindowStore {
  const redis = withWindowScripts(options.redis);
  const ns = options.namespace;
  const keys = [
    `${ns}open`,
    `${ns}closing`,
    `${ns}applied`,
    `${ns}late`,
    `${ns}clock`,
    `${ns}through`,
  ] as const;
  const hashPrefix = `${ns}w:`;
  /** The JSON member each late entry was read from: forgetting removes exactly that member. */
  const lateMembers = new WeakMap<LateEvents, string>();

  return {
    mode: "redis",
    async appliedPositions(partitions, origin) {
      if (partitions.length === 0) return new Map();
      const fields = partitions.map(String);
      // One read of both hashes, so a position is never half of one step and half of the next.
      const [offsets, throughs] = (await redis
        .multi()
        .hmget(keys[2], ...fields)
        .hmget(keys[5], ...fields)
        .exec())!.map(([error, value]) => {
        if (error) throw error;
        return value as (string | null)[];
      }) as [(string | null)[], (string | null)[]];
      // A partition begins at the origin (a store new or emptied): windows that closed before
      // the engine began are closed, and an event for one of them is late, as it was.
      if (offsets.some((offset) => !offset)) await redis.set(keys[4], origin.through, "NX");
      return new Map(
        partitions.map((p, i) => {
          const offset = offsets[i];
          // A partition of the first version has an offset and no log time: unknown (0).
          const through = throughs[i];
          return [
            p,
            offset ? { offset: BigInt(offset), through: through ? Number(through) : 0 } : origin,
          ];
        }),
      );
    },
    async apply({ deltas, late, expected, next }) {
      const args: (string | number)[] = [hashPrefix, expected.size];
      for (const [partition, position] of expected) {
        const moved = next.get(partition) ?? position;
        args.push(
          partition,
          position.offset.toString(),
          position.through,
          moved.offset.toString(),
          moved.through,
        );
      }
      args.push(late.length, ...late.map((entry) => JSON.stringify(entry)));
      for (const delta of deltas) {
        const identity: Omit<WindowIdentity, "key"> = {
          ruleId: delta.ruleId,
          start: delta.start,
          end: delta.end,
          closeAt: delta.closeAt,
          groupKey: delta.groupKey,
          groupValues: delta.groupValues,
          ownerId: delta.ownerId,
          policy: delta.policy,
        };
        // Kept as this if its window turns out to be closing already.
        const asLate: LateEvents = {
          ruleId: delta.ruleId,
          start: delta.start,
          groupKey: delta.groupKey,
          offsets: delta.offsets,
        };
        args.push(
          delta.key,
          delta.closeAt,
          JSON.stringify(identity),
          delta.count,
          String(delta.sum),
          delta.min === null ? "" : String(delta.min),
          delta.max === null ? "" : String(delta.max),
          delta.rejected,
          JSON.stringify(asLate),
        );
      }
      return (await redis.lakeWindowApply(...keys, ...args.map(String))) === 1;
    },
    async claimClosable({ now, leaseMs, limit }) {
      const reply = await redis.lakeWindowClaim(
        ...keys,
        hashPrefix,
        now,
        leaseMs,
        limit,
        WINDOW_PARTITIONS,
      );
      return reply.flatMap(([key, fields]) => windowOf(key, fields) ?? []);
    },
    async lateEvents(limit) {
      const members = await redis.zrange(keys[3], "0", String(limit - 1));
      return members.map((member) => {
        const entry = lateSchema.parse(JSON.parse(member));
        lateMembers.set(entry, member);
        return entry;
      });
    },
    async forget({ keys: windows, late }) {
      const pipeline = redis.multi();
      if (windows.length > 0) {
        pipeline.zrem(keys[1], ...windows);
        pipeline.del(...windows.map((key) => hashPrefix + key));
      }
      const members = late.flatMap((entry) => lateMembers.get(entry) ?? []);
      if (members.length > 0) pipeline.zrem(keys[3], ...members);
      await pipeline.exec();
    },
  };
}
