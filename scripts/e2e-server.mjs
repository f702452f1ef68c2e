// The production server for Playwright, on a data dir of its own that starts empty each run.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";

import { serverProcess } from "./server-process.mjs";

rmSync(".data/e2e", { recursive: true, force: true });
// A Redis prefix of its own, so counters and caches of earlier runs on a shared Redis don't leak in.
const { args, env } = serverProcess("main", {
  ...process.env,
  LAKE_REDIS_PREFIX: `lake-e2e-${Date.now()}:`,
});
const child = spawn(process.execPath, args, { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
