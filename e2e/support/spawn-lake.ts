import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { test } from "@playwright/test";

/**
 * Starts another production Lake process (beside Playwright's own web server) with the given
 * environment, for tests that must control its dependencies or its life.
 */
export async function spawnLake(env: Record<string, string>, port: number) {
  const output: string[] = [];
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: "",
      REDIS_URL: "",
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      LAKE_DATA_DIR: mkdtempSync(path.join(tmpdir(), "lake-e2e-")),
      PORT: String(port),
      // Several of these run at once: gRPC only where a spec asks for it.
      LAKE_GRPC_PORT: "0",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  // A test that times out is abandoned, not finished: Playwright then replaces its worker, and
  // this Lake would outlive it, holding its port against the next test. It dies with the worker.
  const killWithWorker = () => child.kill("SIGKILL");
  process.once("exit", killWithWorker);
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      process.off("exit", killWithWorker);
      resolve(code);
    }),
  );

  const baseURL = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited early:\n${output.join("")}`);
    if (Date.now() > deadline) {
      // Not left running: it would hold its port against the next run.
      child.kill("SIGKILL");
      throw new Error(`the server did not start:\n${output.join("")}`);
    }
    const up = await fetch(`${baseURL}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    baseURL,
    output: () => output.join(""),
    exited,
    stop: async (signal: NodeJS.Signals = "SIGTERM") => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * A spec's own Lake, shared by its tests: started before them (90 s allowed) with `env` on a
 * fresh data dir, stopped after them. `origin()` is its URL once started.
 */
export function useSpawnedLake(env: Record<string, string>, port: number) {
  let lake: Awaited<ReturnType<typeof spawnLake>> | undefined;
  test.beforeAll(async () => {
    test.setTimeout(90_000);
    lake = await spawnLake(env, port);
  });
  // A failure in a spawned Lake's spec is often explained by what that Lake logged (its warnings
  // and errors): printed with the failure, since CI keeps the output, not the trace.
  test.afterEach(async ({}, testInfo) => {
    if (!lake || testInfo.status === testInfo.expectedStatus) return;
    const output = lake.output();
    await testInfo.attach("spawned-lake-output", { body: output, contentType: "text/plain" });
    console.log(`--- the spawned Lake's output (last 8000 characters) ---\n${output.slice(-8000)}`);
  });
  test.afterAll(async () => {
    await lake?.stop();
  });
  return {
    origin: (): string => {
      if (!lake) throw new Error("the Lake starts before the tests");
      return lake.baseURL;
    },
  };
}
