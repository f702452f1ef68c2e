import { type CacheServices } from "../../cache/cache-services";
import { type Database } from "../../db/client";
import { logger } from "../../observability/logger";
import { singleton } from "../../singleton";
import { invalidateDataset } from "./invalidate-dataset";
import {
  buildPayloadIndex,
  dropPayloadIndex,
  markPayloadIndexReady,
  payloadIndexName,
  readPayloadIndexes,
  readWantedPayloadIndexes,
} from "./payload-index.queries";

export type PayloadIndexUpkeep = { db: Database; cache: CacheServices };

/**
 * One pass at a time in a process; a request during a pass runs one more pass after it, so every
 * change is seen by a pass that started after it. That pass uses the latest request's services.
 */
const local = singleton<{
  pass: Promise<void> | null;
  again: boolean;
  services?: PayloadIndexUpkeep;
  retry?: NodeJS.Timeout;
}>("datasets:payload-index-upkeep", () => ({ pass: null, again: false }));

/**
 * Brings `records`' payload indexes in line with what datasets ask for, in the background: builds
 * the missing ones, drops those no dataset asks for (turned off, or the dataset deleted) and those
 * a failed build left invalid, and marks each dataset's index ready once it is usable. Called at
 * start and after every dataset change that may need it; a failure is logged, and the next pass
 * (the next change, or the next start) tries again. Resolves when the passes it joined are done.
 *
 * Why a reconciling pass, not a job per change: what must exist follows from the datasets table
 * alone, so a crash mid-build, a change of mind during one, or two instances asking at once all
 * end the same way — the next pass sees the catalog and finishes the work. Two instances racing to
 * build the same index are harmless: CREATE INDEX … IF NOT EXISTS lets one of them build it, and
 * an index being built elsewhere is left alone.
 */
export function requestPayloadIndexUpkeep(services: PayloadIndexUpkeep): Promise<void> {
  local.services = { db: services.db, cache: services.cache };
  if (local.pass) {
    local.again = true;
    return local.pass;
  }
  const run = async () => {
    let unsettled = false;
    try {
      do {
        local.again = false;
        try {
          unsettled = await upkeepPass(local.services!);
        } catch (error) {
          unsettled = true;
          logger().error({ err: error }, "payload index upkeep failed");
        }
      } while (local.again);
    } finally {
      // In the same turn as the last check of `again`: a request from now on starts a pass.
      local.pass = null;
    }
    if (unsettled) retryLater();
  };
  local.pass = run();
  return local.pass;
}

/**
 * Something is left to do that this pass could not finish — a build failed, or another session
 * is building an index whose outcome this process should see: another pass in a minute.
 */
const RETRY_MS = 60_000;
function retryLater(): void {
  if (local.retry) return;
  local.retry = setTimeout(() => {
    local.retry = undefined;
    if (local.services) void requestPayloadIndexUpkeep(local.services);
  }, RETRY_MS);
  local.retry.unref();
}

/** Resolves when no pass is running here, and none is due later (tests, shutdown). */
export async function payloadIndexUpkeepSettled(): Promise<void> {
  while (local.pass) await local.pass;
  clearTimeout(local.retry);
  local.retry = undefined;
}

/** One pass; true when something is left unsettled (see retryLater). */
async function upkeepPass(services: PayloadIndexUpkeep): Promise<boolean> {
  const { db } = services;
  // The catalog first, then the datasets: an index that a dataset created between the two reads
  // asks for is then wanted, never dropped as a stray.
  const existing = new Map((await readPayloadIndexes(db)).map((index) => [index.datasetId, index]));
  const wanted = await readWantedPayloadIndexes(db);
  let unsettled = false;

  for (const index of existing.values()) {
    if (index.building) {
      unsettled = true;
      continue;
    }
    if (!wanted.has(index.datasetId) || !index.valid) {
      try {
        await dropPayloadIndex(db, index.name);
      } catch (error) {
        unsettled = true;
        logger().error({ err: error, index: index.name }, "payload index drop failed");
        continue;
      }
      existing.delete(index.datasetId);
      await markReady(services, index.datasetId, false);
    }
  }
  for (const [datasetId, { ready }] of wanted) {
    let index = existing.get(datasetId);
    if (index?.building) continue;
    if (!index) {
      // Marked ready, yet gone (dropped by hand, say): building until it is back.
      if (ready) await markReady(services, datasetId, false);
      const name = payloadIndexName(datasetId);
      const started = Date.now();
      try {
        await buildPayloadIndex(db, datasetId);
      } catch (error) {
        // One dataset's failure (a full disk, a cancelled build) does not hold up the others'.
        unsettled = true;
        logger().error({ err: error, datasetId, index: name }, "payload index build failed");
        continue;
      }
      logger().info({ datasetId, index: name, ms: Date.now() - started }, "payload index built");
      // IF NOT EXISTS returns at once when another session has just begun the same build.
      index = (await readPayloadIndexes(db)).find((found) => found.datasetId === datasetId);
    }
    if (index?.valid) await markReady(services, datasetId, true);
    else unsettled = true;
  }
  return unsettled;
}

/** Marks the dataset's index (not) ready; when that changed its view, every cache of it goes. */
async function markReady(
  { db, cache }: PayloadIndexUpkeep,
  datasetId: string,
  ready: boolean,
): Promise<void> {
  if (await markPayloadIndexReady(db, datasetId, ready)) await invalidateDataset(cache, datasetId);
}
