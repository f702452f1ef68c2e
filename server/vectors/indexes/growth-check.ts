import { type Database } from "../../db/client";
import { type VectorType } from "../../db/generated/enums";
import { logger } from "../../observability/logger";
import { singleton } from "../../singleton";
import { countEmbeddings } from "./index.queries";
import { requestIndexTune } from "./request-index-tune";
import { DEFAULT_TUNING, type TuningOptions } from "./tuning-plan";

/** Writes come in bursts (bulk requests, imports): one check after the burst is enough. */
const DEBOUNCE_MS = 5_000;

const timers = singleton("vectors:growth-timers", () => new Map<VectorType, NodeJS.Timeout>());

/** After embedding writes: check the type's indexes for growth once writes pause. */
export function scheduleGrowthCheck(db: Database, types: readonly VectorType[]): void {
  for (const type of types) {
    clearTimeout(timers.get(type));
    const timer = setTimeout(() => {
      timers.delete(type);
      checkIndexGrowth(db, type).catch((error: unknown) =>
        logger().warn({ err: error, type }, "vector index growth check failed"),
      );
    }, DEBOUNCE_MS);
    // A pending check must not keep a finished process (a script, a test) alive.
    timer.unref();
    timers.set(type, timer);
  }
}

/**
 * Rebuilds and re-tunes every index of the type whose rows grew past `growthFactor` × its rows at
 * the last build (lists and probes chosen for fewer rows lose recall as lists overfill), and
 * builds the default index (ivfflat, cosine) the first time the type reaches `minRows`.
 * Returns the metrics it asked a build for.
 */
export async function checkIndexGrowth(
  db: Database,
  type: VectorType,
  tuning: Partial<TuningOptions> = {},
): Promise<string[]> {
  const options = { ...DEFAULT_TUNING, ...tuning };
  const rows = await countEmbeddings(db, type);
  const states = await db.prisma.vectorIndex.findMany({ where: { type } });
  const requested: string[] = [];
  for (const state of states) {
    if (state.status === "building") continue;
    const grown = rows > Number(state.rowsAtBuild) * options.growthFactor;
    if (grown && (state.indexName !== null || rows >= options.minRows)) {
      await requestIndexTune({ db, type, metric: state.metric, tuning });
      requested.push(state.metric);
    }
  }
  if (rows >= options.minRows && !states.some((state) => state.metric === "cosine")) {
    await requestIndexTune({ db, type, metric: "cosine", tuning });
    requested.push("cosine");
  }
  return requested;
}
