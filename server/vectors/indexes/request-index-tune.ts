import { cacheServices } from "../../cache/client";
import { type Database } from "../../db/client";
import type { VectorIndex } from "../../db/generated/client";
import {
  type VectorIndexMethod,
  type VectorMetric,
  type VectorType,
} from "../../db/generated/enums";
import { logger } from "../../observability/logger";
import { singleton } from "../../singleton";
import { tuneIndex, type Progress } from "./tune-index";
import { DEFAULT_TUNING, type TuningOptions } from "./tuning-plan";

/** A build whose row has not been touched for this long is taken to be dead (its process is). */
const LEASE_MS = 10 * 60_000;

export type IndexTuneRequest = {
  db: Database;
  type: VectorType;
  metric: VectorMetric;
  /** Unset: the index's current method (ivfflat for a new one). */
  method?: VectorIndexMethod;
  /** Unset: the index's current target (0.95 for a new one). */
  recallTarget?: number;
  tuning?: Partial<TuningOptions>;
};

/** Builds run here one at a time (a promise chain): two would fight over CPU and memory. */
const local = singleton<{ chain: Promise<void>; queued: Set<string> }>(
  "vectors:index-builds",
  () => ({ chain: Promise.resolve(), queued: new Set<string>() }),
);

/** The channel the console listens on for one index's progress. */
export const progressChannel = (type: VectorType, metric: VectorMetric) =>
  `vectors:index:${type}:${metric}`;

/**
 * Asks for a (re)build and tuning of one index, in the background, and answers its state at once.
 *
 * Why plain async and not the job queue: the queue's worker is started by server/main.ts for
 * every instance, and a BullMQ retry of a build is rarely useful (failures are deterministic).
 * What must not happen — two processes building the same index — is prevented by a lease in the
 * index's own row: a conditional UPDATE claims it (status `building`), every progress report
 * renews it, and a lease older than 10 minutes (a crashed process) can be taken over. It needs no
 * connection held for the whole build, unlike a session advisory lock, which would pin one of the
 * embedded database's single connection. A request for a build already queued here is a no-op.
 */
export async function requestIndexTune(request: IndexTuneRequest): Promise<VectorIndex> {
  const { db, type, metric } = request;
  const state = await db.prisma.vectorIndex.upsert({
    where: { type_metric: { type, metric } },
    create: {
      type,
      metric,
      method: request.method ?? "ivfflat",
      recallTarget: request.recallTarget ?? 0.95,
    },
    update: {},
  });
  const key = `${type}:${metric}`;
  if (local.queued.has(key)) return state;
  local.queued.add(key);
  local.chain = local.chain.then(() =>
    runClaimed(request, state).finally(() => local.queued.delete(key)),
  );
  return state;
}

/** Resolves when every build requested in this process so far has finished (tests, shutdown). */
export function indexBuildsSettled(): Promise<void> {
  return local.chain;
}

async function runClaimed(request: IndexTuneRequest, requested: VectorIndex): Promise<void> {
  const { db, type, metric } = request;
  const where = { type_metric: { type, metric } };
  const method = request.method ?? requested.method;
  const recallTarget = request.recallTarget ?? requested.recallTarget;
  try {
    const claimed = await db.prisma.vectorIndex.updateMany({
      where: {
        type,
        metric,
        OR: [
          { status: { not: "building" } },
          { updatedAt: { lt: new Date(Date.now() - LEASE_MS) } },
        ],
      },
      data: { status: "building", error: null, progress: { phase: "starting", done: 0, total: 0 } },
    });
    if (claimed.count === 0) return; // another process is building it
    const publish = pubsubPublisher();
    const report = async (progress: Progress) => {
      await db.prisma.vectorIndex.update({
        where,
        data: { progress },
      });
      await publish(progressChannel(type, metric), { type, metric, status: "building", progress });
    };
    try {
      await tuneIndex({
        db,
        type,
        metric,
        method,
        recallTarget,
        tuning: { ...DEFAULT_TUNING, ...request.tuning },
        report,
      });
      const done = await db.prisma.vectorIndex.update({
        where,
        data: { status: "ready", progress: { phase: "done", done: 1, total: 1 } },
      });
      await publish(progressChannel(type, metric), {
        type,
        metric,
        status: done.status,
        progress: done.progress,
      });
    } catch (error) {
      logger().error({ err: error, type, metric }, "vector index build failed");
      await db.prisma.vectorIndex.update({
        where,
        data: { status: "failed", error: error instanceof Error ? error.message : String(error) },
      });
      await publish(progressChannel(type, metric), { type, metric, status: "failed" });
    }
  } catch (error) {
    // The database went away mid-way: nothing to record; the lease runs out.
    logger().error({ err: error, type, metric }, "vector index build could not run");
  }
}

/** The process's pub/sub when cache services are up; builds still run without them. */
function pubsubPublisher(): (channel: string, message: unknown) => Promise<void> {
  return async (channel, message) => {
    try {
      await cacheServices().pubsub.publish(channel, message);
    } catch {
      // No cache services in this process (a script): progress stays in the row.
    }
  };
}
