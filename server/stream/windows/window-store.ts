import {
  type LateEvents,
  type WindowDelta,
  type WindowIdentity,
  type WindowNumbers,
} from "./window-deltas";

export type { LateEvents };

/** A window every partition's log has passed, leased to the worker that will store it. */
export type ClosedWindow = WindowIdentity & WindowNumbers;

/** How far into the log one partition's events are accounted for. */
export type PartitionPosition = {
  /** Every event of the partition up to this offset is in a window, late, or was before the engine began. */
  offset: bigint;
  /**
   * The log's time this position covers (ms): every event of the partition committed before it is
   * at or before `offset`, so any event after `offset` was committed after it. A window whose
   * close time this has passed on every partition can close; an event applied later is late.
   */
  through: number;
};

/** The positions of the partitions a worker applies. */
export type AppliedPositions = Map<number, PartitionPosition>;

/**
 * Where open windows live: Redis when configured (shared by every worker), this process
 * otherwise. A batch is applied with the partitions' positions in one atomic step, so a worker
 * that dies between two steps neither loses nor repeats an event (docs/decisions/0014).
 */
export interface WindowStore {
  readonly mode: "redis" | "memory";
  /** The stored positions of these partitions; a partition never applied gets `origin`. */
  appliedPositions(partitions: number[], origin: PartitionPosition): Promise<AppliedPositions>;
  /**
   * Adds the deltas to their windows, keeps the late events, and moves the partitions from
   * `expected` to `next`, all or nothing: false, and nothing applied, when another worker has
   * moved one of them meanwhile. A delta for a window already closing or closed is kept as late.
   */
  apply(batch: {
    deltas: WindowDelta[];
    late: LateEvents[];
    expected: AppliedPositions;
    next: AppliedPositions;
  }): Promise<boolean>;
  /**
   * Windows whose close time every partition's position has passed, leased for `leaseMs` (by
   * `now`, the worker's clock); a lapsed lease is claimed again.
   */
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
