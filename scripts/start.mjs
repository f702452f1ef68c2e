// `npm start` (web + jobs) and `npm run worker` (jobs only): builds when needed, then runs the
// compiled server as production runs it (scripts/server-process.mjs), passing signals on so its
// graceful shutdown runs.
import { spawn, spawnSync } from "node:child_process";

import { serverProcess } from "./server-process.mjs";

const entry = process.argv[2] === "worker" ? "worker" : "main";
const build = spawnSync(process.execPath, ["scripts/ensure-build.mjs"], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

const { args, env } = serverProcess(entry);
const child = spawn(process.execPath, args, { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
