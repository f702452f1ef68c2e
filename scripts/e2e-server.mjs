// The production server for Playwright, on a data dir of its own that starts empty each run.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";

rmSync(".data/e2e", { recursive: true, force: true });
const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
