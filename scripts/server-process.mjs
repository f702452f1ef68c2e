// How a production process of the Lake is started — by `npm start`, `npm run worker`, the e2e
// server and the benches alike — so that they all run it the same way (docs/decisions/0009).
import path from "node:path";

export const SERVER_DIR = ".next/lake-server";

/**
 * V8's young generation at most 2 × 8 MB instead of 2 × 16 MB, and glibc's malloc at two arenas
 * instead of up to eight per core (each thread — imports', libuv's — otherwise gets its own, and
 * their fragments stay resident). Together ~40 MB less resident under a 1M-row import.
 */
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=8"];
export const SERVER_ENV = { NODE_ENV: "production", MALLOC_ARENA_MAX: "2" };

/**
 * `node` arguments and environment for the compiled `main` (web) or `worker` entry.
 * @param {"main" | "worker"} entry
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {{ args: string[]; env: NodeJS.ProcessEnv }}
 */
export function serverProcess(entry, env = process.env) {
  return {
    args: [...SERVER_NODE_FLAGS, path.join(SERVER_DIR, `${entry}.mjs`)],
    env: { ...env, ...SERVER_ENV },
  };
}
