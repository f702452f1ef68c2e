import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import pg from "pg";

import { serverProcess } from "../../scripts/server-process.mjs";

// The production build the fuzzer attacks: a process of its own, not Playwright's shared web
// server. Thousands of malformed sign-ins, uploads and datasets would otherwise spend the other
// specs' sign-in limits and leave rows in their lists, and a crash found here would fail every
// spec after this one instead of this one alone.

export const ADMIN = { email: "admin@fuzz.test", password: "a fuzzer walks into a lake" };

async function onServer(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export type LakeUnderFuzz = {
  baseURL: string;
  authSecret: string;
  /** false once the process has exited. */
  alive: () => boolean;
  exitCode: () => number | null;
  output: () => string;
  stop: () => Promise<void>;
};

/**
 * Starts `.next/lake-server/main.mjs` (run `npm run build` first) on `port`, with a database of
 * its own: a fresh one on the server of DATABASE_URL when that is set (as in CI), else embedded.
 */
export async function startLakeUnderFuzz(port: number): Promise<LakeUnderFuzz> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "lake-fuzz-"));
  const authSecret = randomBytes(32).toString("base64url");
  let databaseUrl = "";
  let dropDatabase = async () => {};
  if (process.env.DATABASE_URL) {
    const name = `lake_fuzz_${randomBytes(6).toString("hex")}`;
    await onServer(process.env.DATABASE_URL, `create database ${name}`);
    databaseUrl = Object.assign(new URL(process.env.DATABASE_URL), {
      pathname: `/${name}`,
    }).toString();
    dropDatabase = () =>
      onServer(process.env.DATABASE_URL!, `drop database if exists ${name} with (force)`);
  }

  const { args, env } = serverProcess("main", {
    ...process.env,
    PORT: String(port),
    LAKE_GRPC_PORT: "0",
    DATABASE_URL: databaseUrl,
    LAKE_REDIS_PREFIX: `lake-fuzz-${Date.now()}:`,
    LAKE_DATA_DIR: dataDir,
    LAKE_AUTH_SECRET: authSecret,
    LAKE_ADMIN_EMAIL: ADMIN.email,
    LAKE_ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: "warn",
    // Limits would turn most cases into 429s before their input is read; they are tested elsewhere.
    LAKE_RATE_LIMIT_DATA_PER_HOUR: "10000000",
    LAKE_RATE_LIMIT_IMPORT_PER_HOUR: "10000000",
    LAKE_RATE_LIMIT_AUTH_PER_15_MIN: "10000000",
    LAKE_IMPORT_MAX_CONCURRENT_UPLOADS: "10000000",
  });
  const output: string[] = [];
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const baseURL = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited early:\n${output.join("")}`);
    if (Date.now() > deadline) throw new Error(`the server did not start:\n${output.join("")}`);
    if (
      await fetch(`${baseURL}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 250));
  }

  return {
    baseURL,
    authSecret,
    alive: () => child.exitCode === null && child.signalCode === null,
    exitCode: () => child.exitCode,
    output: () => output.join(""),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
        await exited;
        clearTimeout(killer);
      }
      await dropDatabase();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
