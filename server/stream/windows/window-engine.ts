import { type Database } from "../../db/client";
import { logger } from "../../observability/logger";
import { partitionOf } from "../events/partition-of";
import { type StoredEvent } from "../events/stream-event";
import { selectEventsAfter, selectLogBounds } from "../events/stream-events.queries";
import { listAggregationRules } from "./list-aggregation-rules";
import { compileRule, windowDeltas, type WindowRule } from "./window-deltas";
import { WINDOW_PARTITIONS, type PartitionLeases } from "./window-partitions";
import { type AppliedPositions, type PartitionPosition, type WindowStore } from "./window-store";
import { measureWindowEngine } from "./window-metrics";
import { storeClosedWindows, type WindowsStoredHook } from "./windows.queries";

export type WindowEngineOptions = {
  db: Database;
  store: WindowStore;
  leases: PartitionLeases;
  /** News that the log grew (an instance's tail), which wakes the engine; it also looks every `pollMs`. */
  onLogGrowth?: (notify: () => void) => () => void;
  /**
   * Where a partition never applied starts: the log's head when the engine first ran, and the
   * time it was read. A function when finding it needs the store (Redis), which may be away when
   * the engine starts.
   */
  origin: PartitionPosition | (() => Promise<PartitionPosition>);
  /**
   * The log's time (ms) — by default the database's, read with the log's head — and the time of
   * the closers' leases (by default this process's). Tests set it, and move it.
   */
  clock?: () => number;
  /** Events read from the log per step. */
  batchSize?: number;
  pollMs?: number;
  /** How often closable windows are looked for, and how long a closer holds them. */
  closeEveryMs?: number;
  closeLeaseMs?: number;
  /** How often the leases are refreshed. */
  refreshMs?: number;
  /** Work on newly stored windows, in their transaction: alert evaluation. */
  onWindowsStored?: WindowsStoredHook;
};

export type WindowEngine = {
  /** Applies what the log holds now and stores every window that has closed by now (tests). */
  settle(): Promise<void>;
  /** Stops between two steps; what was applied stays applied, the rest is the next worker's. */
  stop(): Promise<void>;
};

const CLOSE_LIMIT = 1000;
/** How often an in-process store's state is written when no window closes. */
const CHECKPOINT_EVERY_MS = 1000;

/**
 * The window engine (docs/decisions/0014): it reads the log in offset order, applies each batch's
 * events of the partitions it holds to their rules' windows in the store, together with those
 * partitions' offsets, and stores windows once their close time has passed. The log is the
 * source, not the bus: what the bus missed (a publisher that died after its commit, Redis away)
 * is still aggregated, and a worker that dies resumes exactly where its store says it was.
 */
export async function startWindowEngine(options: WindowEngineOptions): Promise<WindowEngine> {
  const { db, store, leases } = options;
  const leaseClock = options.clock ?? Date.now;
  // A batch touches about as many windows however many events it holds (rules × groups × open
  // windows): larger batches spread that cost. 5000 ran 2.8× faster than 1000 (bench:windows).
  const batchSize = options.batchSize ?? 5000;
  const pollMs = options.pollMs ?? 500;
  const closeEveryMs = options.closeEveryMs ?? 250;
  const closeLeaseMs = options.closeLeaseMs ?? 30_000;
  const refreshMs = options.refreshMs ?? 2000;

  let stopped = false;
  let rules: WindowRule[] = [];
  let owned = new Set<number>();
  let applied: AppliedPositions = new Map();
  let refreshedAt = -Infinity;
  /** The log's head and the lowest applied offset at the last step, for /metrics. */
  let lag = 0n;
  const stopMeasuring = measureWindowEngine(() => lag);
  /** Ends the apply loop's wait: the log grew. */
  let wake: (() => void) | undefined;
  /** Every wait in progress, ended at once by stop(). */
  const waits = new Set<() => void>();
  const pause = (ms: number, onWake?: (end: () => void) => void) =>
    new Promise<void>((resolve) => {
      const end = () => {
        clearTimeout(timer);
        waits.delete(end);
        resolve();
      };
      const timer = setTimeout(end, ms);
      timer.unref();
      waits.add(end);
      onWake?.(end);
    });
  /** Whether the state has moved since the last checkpoint, and when that was written. */
  let dirty = false;
  let checkpointedAt = 0;
  const stopListening = options.onLogGrowth?.(() => wake?.()) ?? (() => undefined);

  // Asked again each time (rarely: a partition newly held): a store that lost its state (Redis
  // restarted empty) begins again at the head as it is then, not as it was at this start.
  const originOf = async () =>
    typeof options.origin === "function" ? await options.origin() : options.origin;

  async function refresh() {
    const partitions = await leases.refresh();
    const changed = partitions.length !== owned.size || partitions.some((p) => !owned.has(p));
    if (changed) applied = await store.appliedPositions(partitions, await originOf());
    owned = new Set(partitions);
    refreshedAt = Date.now();
  }

  /**
   * One batch of the log applied; false when there was nothing new. A step that read the log up
   * to its head also moves its partitions' log time to when it began reading — even with nothing
   * new, so a quiet stream's windows close on time.
   */
  async function applyStep(): Promise<boolean> {
    if (Date.now() - refreshedAt > refreshMs) await refresh();
    if (owned.size === 0) {
      lag = 0n;
      return false;
    }
    const cursor = [...applied.values()]
      .map((position) => position.offset)
      .reduce((a, b) => (a < b ? a : b));
    const fixedTime = options.clock?.();
    const bounds = await selectLogBounds(db);
    const head = BigInt(bounds.head);
    // Every event committed before this time is at or before the head.
    const readAt = fixedTime ?? bounds.at;
    const topics = new Set(rules.map((rule) => rule.topic));
    const rows =
      topics.size === 0
        ? []
        : await selectEventsAfter(db, {
            after: cursor.toString(),
            limit: batchSize,
            topics: [...topics],
          });
    // The rules as they stand once the batch is read, so a rule created before an event was
    // stored applies to it; read again if one is on a topic the batch was not read for.
    const current = (await listAggregationRules({ db })).map(compileRule);
    const stale = current.some((rule) => !topics.has(rule.topic));
    rules = current;
    if (stale) return true;
    // Rows stored after the head was read come too: the batch ends at the later of the two.
    const full = rows.length === batchSize;
    const lastRow = rows.length > 0 ? BigInt(rows.at(-1)!.offset) : 0n;
    const last = full || lastRow > head ? lastRow : head;
    const moved = last > cursor;
    // A full batch that stops short of the head may miss events committed before `readAt`.
    const readAll = !full || lastRow >= head;

    /** Each event to apply, with its partition's log time before this batch. */
    const coveredThrough = new Map<StoredEvent, number>();
    for (const event of rows) {
      const partition = partitionOf(event.partitionKey, WINDOW_PARTITIONS);
      const position = owned.has(partition) ? applied.get(partition)! : undefined;
      if (position && BigInt(event.offset) > position.offset) {
        coveredThrough.set(event, position.through);
      }
    }
    const next: AppliedPositions = new Map(
      [...applied].map(([partition, { offset, through }]) => [
        partition,
        {
          offset: offset > last ? offset : last,
          through: readAll && readAt > through ? readAt : through,
        },
      ]),
    );
    const nothingToWrite =
      !moved && [...next].every(([p, position]) => position.through === applied.get(p)!.through);
    if (nothingToWrite) {
      lag = 0n;
      return false;
    }
    const { deltas, late } = windowDeltas(rules, [...coveredThrough.keys()], (event) =>
      coveredThrough.get(event)!,
    );
    if (await store.apply({ deltas, late, expected: applied, next })) {
      applied = next;
      // Only offsets need a checkpoint: a log time that lags after a restart closes windows later.
      if (moved) dirty = true;
      lag = head > last ? head - last : 0n;
    }
    // Another worker moved a partition meanwhile (this one's lease had lapsed): start again
    // from what the store says.
    else applied = await store.appliedPositions([...owned], await originOf());
    return moved;
  }

  /** Stores the windows every partition's log time has passed, and the late events; true if any. */
  async function closeStep(): Promise<boolean> {
    const windows = await store.claimClosable({
      now: leaseClock(),
      leaseMs: closeLeaseMs,
      limit: CLOSE_LIMIT,
    });
    const late = await store.lateEvents(CLOSE_LIMIT);
    const found = windows.length > 0 || late.length > 0;
    const checkpointDue = dirty && Date.now() - checkpointedAt >= CHECKPOINT_EVERY_MS;
    const checkpoint =
      found || checkpointDue
        ? store.durableState?.({ keys: windows.map((w) => w.key), late })
        : undefined;
    if (!found && checkpoint === undefined) return false;
    dirty = false;
    try {
      await storeClosedWindows(db, {
        windows,
        late,
        checkpoint,
        onStored: options.onWindowsStored,
      });
    } catch (error) {
      dirty = true;
      throw error;
    }
    if (checkpoint !== undefined) checkpointedAt = Date.now();
    await store.forget({ keys: windows.map((w) => w.key), late });
    return found;
  }

  async function loop(
    step: () => Promise<boolean>,
    idleMs: number,
    name: string,
    wakeable = false,
  ) {
    // A failure is logged when it starts, not at every retry (Redis away for an hour).
    let failing = false;
    while (!stopped) {
      try {
        const more = await step();
        if (failing) logger().info(`window engine: ${name} works again`);
        failing = false;
        if (more) continue;
      } catch (error) {
        if (!failing) logger().warn({ err: error }, `window engine: ${name} failed; will retry`);
        failing = true;
      }
      await pause(idleMs, wakeable ? (resolve) => (wake = resolve) : undefined);
    }
  }

  // Each kind of step runs one at a time, whoever asks (the loops, settle).
  const serial = <T>(step: () => Promise<T>) => {
    let last: Promise<unknown> = Promise.resolve();
    return () => {
      const run = last.then(step, step);
      last = run.catch(() => undefined);
      return run;
    };
  };
  const apply = serial(applyStep);
  const close = serial(closeStep);

  // No first refresh here: with Redis away the instance must start all the same (degraded); the
  // loop's first step refreshes, and retries until the store answers.
  const applying = loop(apply, pollMs, "applying the log", true);
  const closing = loop(close, closeEveryMs, "storing windows");

  return {
    async settle() {
      refreshedAt = -Infinity;
      while (await apply());
      while (await close());
    },
    async stop() {
      stopped = true;
      for (const end of [...waits]) end();
      stopListening();
      stopMeasuring();
      await Promise.all([applying, closing]);
      // Best effort: a lease not given back lapses on its own (Redis may be away).
      await leases.release().catch(() => undefined);
    },
  };
}
