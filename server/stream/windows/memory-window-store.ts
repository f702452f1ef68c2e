import { z } from "zod";

import { mergeNumbers } from "./window-deltas";
import { type ClosedWindow, type LateEvents, type WindowStore } from "./window-store";

/** What a checkpoint holds (window_checkpoints.state): parsed, since it outlives versions. */
const memoryStateSchema = z.object({
  applied: z.array(z.tuple([z.number().int(), z.string().regex(/^\d+$/)])),
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
  const applied = new Map<number, bigint>(
    restored?.applied.map(([partition, offset]) => [partition, BigInt(offset)]),
  );
  const windows = new Map<string, ClosedWindow>(restored?.windows.map((w) => [w.key, w]));
  /** Windows handed out for closing, with their lease's end. */
  const closing = new Map<string, { window: ClosedWindow; until: number }>();
  const late: LateEvents[] = restored?.late ?? [];

  return {
    mode: "memory",
    async appliedOffsets(partitions, origin) {
      // Kept, so the next checkpoint says where these partitions began.
      for (const p of partitions) if (!applied.has(p)) applied.set(p, origin);
      return new Map(partitions.map((p) => [p, applied.get(p)!]));
    },
    async apply({ deltas, expected, next, now }) {
      for (const [partition, offset] of expected) {
        if ((applied.get(partition) ?? offset) !== offset) return false;
      }
      for (const delta of deltas) {
        // One process, one clock: a window is claimed only once its close time has passed, so
        // the time alone tells a delta for a closing or stored window.
        if (delta.closeAt <= now) {
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
      for (const [partition, offset] of next) applied.set(partition, offset);
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
      for (const [key, window] of windows) {
        if (claimed.length >= limit) break;
        if (window.closeAt > now) continue;
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
        applied: [...applied].map(([partition, offset]) => [partition, offset.toString()]),
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
