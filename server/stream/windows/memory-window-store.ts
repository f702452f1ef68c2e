import { z } from "zod";

import { mergeNumbers } from "./window-deltas";
import { WINDOW_PARTITIONS } from "./window-partitions";
import {
  type ClosedWindow,
  type LateEvents,
  type PartitionPosition,
  type WindowStore,
} from "./window-store";

/** What a checkpoint holds (window_checkpoints.state): parsed, since it outlives versions. */
const memoryStateSchema = z.object({
  // [partition, offset, through]; the first version had no `through`: unknown (0), so the
  // engine judges nothing late until the position moves, and `closed` alone keeps closed windows
  // closed.
  applied: z.array(
    z.union([
      z.tuple([z.number().int(), z.string().regex(/^\d+$/), z.number()]),
      z.tuple([z.number().int(), z.string().regex(/^\d+$/)]),
    ]),
  ),
  /**
   * The close time up to which windows have been handed out for storing. The first version
   * closed windows by the clock when it restored: that, for its checkpoints.
   */
  closed: z.number().default(() => Date.now()),
  windows: z.array(
    z.object({
      key: z.string(),
      ruleId: z.string(),
      start: z.number(),
      end: z.number(),
      closeAt: z.number(),
      groupKey: z.string(),
      groupValues: z.record(z.string(), z.unknown()),
      ownerId: z.string().nullable(),
      policy: z.enum(["user_data", "analytics"]),
      count: z.number(),
      sum: z.number(),
      min: z.number().nullable(),
      max: z.number().nullable(),
      rejected: z.number(),
    }),
  ),
  late: z.array(
    z.object({
      ruleId: z.string(),
      start: z.number(),
      groupKey: z.string(),
      offsets: z.array(z.string()),
    }),
  ),
});
export type MemoryWindowState = z.infer<typeof memoryStateSchema>;

/**
 * Open windows in this process, for an instance without Redis. The state dies with the process,
 * so the engine writes `durableState` with every window it stores and restarts from that
 * checkpoint, applying the log after it again (docs/decisions/0014).
 */
export function createMemoryWindowStore(checkpoint?: unknown): WindowStore {
  const restored = checkpoint === undefined ? undefined : memoryStateSchema.parse(checkpoint);
  const applied = new Map<number, PartitionPosition>(
    restored?.applied.map(([partition, offset, through]) => [
      partition,
      { offset: BigInt(offset), through: through ?? 0 },
    ]),
  );
  let closed = restored?.closed ?? 0;
  const windows = new Map<string, ClosedWindow>(restored?.windows.map((w) => [w.key, w]));
  /** Windows handed out for closing, with their lease's end. */
  const closing = new Map<string, { window: ClosedWindow; until: number }>();
  const late: LateEvents[] = restored?.late ?? [];

  return {
    mode: "memory",
    async appliedPositions(partitions, origin) {
      // Kept, so the next checkpoint says where these partitions began; windows that closed
      // before the engine began are closed.
      for (const p of partitions) {
        if (applied.has(p)) continue;
        applied.set(p, origin);
        closed = Math.max(closed, origin.through);
      }
      return new Map(partitions.map((p) => [p, applied.get(p)!]));
    },
    async apply({ deltas, late: lateEntries, expected, next }) {
      for (const [partition, position] of expected) {
        const current = applied.get(partition);
        if (current && !samePosition(current, position)) return false;
      }
      late.push(...lateEntries);
      for (const delta of deltas) {
        // Never reopened: a window handed out for storing is the one stored.
        if (delta.closeAt <= closed) {
          late.push({
            ruleId: delta.ruleId,
            start: delta.start,
            groupKey: delta.groupKey,
            offsets: delta.offsets,
          });
          continue;
        }
        const { offsets: _offsets, ...window } = delta;
        const open = windows.get(delta.key);
        windows.set(delta.key, open ? { ...open, ...mergeNumbers(open, delta) } : window);
      }
      for (const [partition, position] of next) applied.set(partition, position);
      return true;
    },
    async claimClosable({ now, leaseMs, limit }) {
      const claimed: ClosedWindow[] = [];
      for (const lease of closing.values()) {
        if (claimed.length >= limit) break;
        if (lease.until <= now) {
          lease.until = now + leaseMs;
          claimed.push(lease.window);
        }
      }
      const horizon = closeHorizon([...applied.values()]);
      if (horizon > closed) closed = horizon;
      for (const [key, window] of windows) {
        if (claimed.length >= limit) break;
        if (window.closeAt > closed) continue;
        windows.delete(key);
        closing.set(key, { window, until: now + leaseMs });
        claimed.push(window);
      }
      return claimed;
    },
    async lateEvents(limit) {
      return late.slice(0, limit);
    },
    async forget({ keys, late: recorded }) {
      for (const key of keys) closing.delete(key);
      const gone = new Set(recorded);
      late.splice(0, late.length, ...late.filter((entry) => !gone.has(entry)));
    },
    durableState({ keys, late: recorded }): MemoryWindowState {
      const leaving = new Set(keys);
      const gone = new Set(recorded);
      return {
        applied: [...applied].map(([partition, { offset, through }]) => [
          partition,
          offset.toString(),
          through,
        ]),
        closed,
        // A window still closing but not among these goes back to open: it is stored next time.
        windows: [
          ...windows.values(),
          ...[...closing.values()].map((lease) => lease.window),
        ].filter((window) => !leaving.has(window.key)),
        late: late.filter((entry) => !gone.has(entry)),
      };
    },
  };
}

const samePosition = (a: PartitionPosition, b: PartitionPosition) =>
  a.offset === b.offset && a.through === b.through;

/** The close time every partition's log has passed: 0 (none) until each has a position. */
function closeHorizon(positions: PartitionPosition[]): number {
  if (positions.length < WINDOW_PARTITIONS) return 0;
  return Math.min(...positions.map((position) => position.through));
}
