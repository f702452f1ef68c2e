import { randomBytes } from "node:crypto";
import path from "node:path";

import { serverProcess } from "../server-process.mjs";
import { type benchChildren, freePort, startChild, waitForReady } from "./child-process";

/** The benches' admin; its password is random per run (the bench signs in with an API key). */
export const BENCH_ADMIN_EMAIL = "bench@datapunk.local";
const READY_TIMEOUT_MS = 180_000;

/**
 * The Lake as production runs it (the build: `next build` + the compiled server), on a free port, against the
 * bench's database and Redis, with its keys under a prefix of its own on a shared Redis. Limits
 * are raised out of the bench's way; the limiter still runs on every request.
 */
export async function startBenchLake(options: {
  children: ReturnType<typeof benchChildren>;
  databaseUrl: string;
  redisUrl: string | undefined;
  dataDir: string;
  redisPrefix: string;
  /** BENCH_CPU_PROF: the Lake writes a CPU profile into this directory. */
  cpuProfileDir?: string;
  env?: Record<string, string>;
}): Promise<{ baseUrl: string; pid: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const profile = options.cpuProfileDir
    ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(options.cpuProfileDir)}`]
    : [];
  const server = serverProcess("main", {
    ...process.env,
    HOST: "127.0.0.1",
    PORT: String(port),
    LAKE_GRPC_PORT: "0",
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl ?? "",
    LAKE_DATA_DIR: options.dataDir,
    LAKE_REDIS_PREFIX: options.redisPrefix,
    LOG_LEVEL: "warn",
    LAKE_ADMIN_EMAIL: BENCH_ADMIN_EMAIL,
    LAKE_ADMIN_PASSWORD: randomBytes(18).toString("base64url"),
    LAKE_RATE_LIMIT_DATA_PER_HOUR: "1000000000",
    LAKE_RATE_LIMIT_IMPORT_PER_HOUR: "1000000000",
    ...options.env,
  });
  const lake = options.children.add(
    startChild({ name: "Lake", args: [...profile, ...server.args], env: server.env }),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForReady(lake, `${baseUrl}/ready`, READY_TIMEOUT_MS);
  return { baseUrl, pid: lake.process.pid!, stop: () => lake.stop() };
}
