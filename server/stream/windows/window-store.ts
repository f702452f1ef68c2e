import { type WindowDelta, type WindowIdentity, type WindowNumbers } from "./window-deltas";

/** A window the watermark has passed, leased to the worker that will store it. */
export type ClosedWindow = WindowIdentity & WindowNumbers;

/** Events that came after their window had closed: kept, by offset, for re-aggregation. */
export type LateEvents = { ruleId: string; start: number; groupKey: string; offsets: string[] };

/**
 * How far into the log each partition's events are accounted for: every event of partition p
 * with an offset up to applied[p] is in a window, late, or was before the engine began.
 */
export type AppliedOffsets = Map<number, bigint>;

/**
 * Where open windows live: Redis when configured (shared by every worker), this process
 * otherwise. A batch is applied with the partitions' offsets in one atomic step, so a worker that
 * dies between two steps neither loses nor repeats an event (docs/decisions/0014).
 */
export interface WindowStore {
  readonly mode: "redis" | "memory";
  /** The stored offsets of these partitions; a partition never applied gets `origin`. */
  appliedOffsets(partitions: number[], origin: bigint): Promise<AppliedOffsets>;
  /**
   * Adds the deltas to their windows and moves the partitions from `expected` to `next`, all or
   * nothing: false, and nothing applied, when another worker has moved one of them meanwhile.
   * A delta for a window already closing or closed (by the store's clock) is kept as late.
   */
  apply(batch: {
    deltas: WindowDelta[];
    expected: AppliedOffsets;
    next: AppliedOffsets;
    now: number;
  }): Promise<boolean>;
  /** Windows whose close time has passed, leased for `leaseMs`; a lapsed lease is claimed again. */
  claimClosable(options: { now: number; leaseMs: number; limit: number }): Promise<ClosedWindow[]>;
  /** Late events not yet forgotten, oldest first. */
  lateEvents(limit: number): Promise<LateEvents[]>;
  /** Drops closed windows once stored, and late entries once recorded. */
  forget(options: { keys: string[]; late: LateEvents[] }): Promise<void>;
  /**
   * The state to write with the windows and late entries being stored — as it will be once they
   * are forgotten — for a store whose state dies with its process (memory).
   */
  durableState?(after: { keys: string[]; late: LateEvents[] }): unknown;
}
