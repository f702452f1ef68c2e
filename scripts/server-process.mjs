// How a production process of the Lake is started — by `npm start`, `npm run worker`, the e2e
// server and the benches alike — so that they all run it the same way (docs/decisions/0009).
import path from "node:path";

export const SERVER_DIR = ".next/lake-server";

/**
 * glibc's malloc at two arenas instead of up to eight per core: each thread that allocates (an
 * import's, libuv's) otherwise gets its own, and their fragments stay resident — ~20 MB under a
 * 1M-row import. (A young generation of 2 × 8 MB instead of V8's 2 × 16 MB saved ~17 MB more but
 * cost the data API a few percent of throughput and p99: not kept.)
 */
export const SERVER_ENV = { NODE_ENV: "production", MALLOC_ARENA_MAX: "2" };

/**
 * The main thread's old generation, in MB (`LAKE_MAX_HEAP_MB`, default 1024). Left to itself V8
 * sizes it from the machine (~4 GB here) and then collects lazily: under a gRPC ingest of 100,000
 * events the server stood at ~460 MB resident, nearly all of it garbage; capped at 1024 MB it
 * stayed at ~250 MB with the same throughput (bench:stream). A cap also makes the process's
 * memory a number an operator can plan a container around.
 * @param {NodeJS.ProcessEnv} env
 */
function maxHeapMb(env) {
  const text = env.LAKE_MAX_HEAP_MB || "1024";
  const value = Number(text);
  if (!Number.isInteger(value) || value < 256) {
    throw new Error(
      `Invalid configuration: LAKE_MAX_HEAP_MB must be a whole number ≥ 256 (MB), not "${text}".`,
    );
  }
  return value;
}

/**
 * `node` arguments and environment for the compiled `main` (web) or `worker` entry.
 * @param {"main" | "worker"} entry
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {{ args: string[]; env: NodeJS.ProcessEnv }}
 */
export function serverProcess(entry, env = process.env) {
  return {
    // --expose-gc: the end of an import collects its garbage (server/imports/import-memory.ts).
    args: [
      "--expose-gc",
      // A limit an operator set in NODE_OPTIONS stands unless LAKE_MAX_HEAP_MB says otherwise.
      ...(env.LAKE_MAX_HEAP_MB || !env.NODE_OPTIONS?.includes("max-old-space-size")
        ? [`--max-old-space-size=${maxHeapMb(env)}`]
        : []),
      path.join(SERVER_DIR, `${entry}.mjs`),
    ],
    env: { ...env, ...SERVER_ENV },
  };
}
