import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { EnvError, parseEnv as parseEnvOf } from "./env";

const parseEnv = (vars: Record<string, string>) => parseEnvOf(vars as NodeJS.ProcessEnv);

const dataDir = () => mkdtempSync(path.join(tmpdir(), "lake-env-"));

describe("parseEnv", () => {
  it("runs with no configuration at all: embedded database, in-process fallbacks", () => {
    const env = parseEnv({ LAKE_DATA_DIR: dataDir() });
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.REDIS_URL).toBeUndefined();
    expect(env.LAKE_UPLOAD_MAX_BYTES).toBe(5 * 1024 ** 3);
    expect(env.LAKE_MAX_BODY_BYTES).toBe(10 * 1024 * 1024);
    expect(env.LAKE_WS_MAX_CONNECTIONS).toBe(1000);
    expect(env.LAKE_WS_MAX_CONNECTIONS_PER_PRINCIPAL).toBe(20);
    expect(env.LAKE_WS_RECHECK_SECONDS).toBe(60);
  });

  it.each([
    ["PORT", "eighty"],
    ["PORT", "70000"],
    ["DATABASE_URL", "mysql://localhost/lake"],
    ["REDIS_URL", "http://localhost:6379"],
    ["LAKE_AUTH_SECRET", "short"],
    ["LAKE_ADMIN_EMAIL", "not-an-email"],
    ["LOG_LEVEL", "loud"],
    ["LAKE_WS_MAX_CONNECTIONS", "0"],
    ["LAKE_WS_RECHECK_SECONDS", "soon"],
    ["LAKE_SHUTDOWN_DELAY_MS", "-1"],
    ["STREAM_RETRY_POLICY", "aggressive"],
  ])("names %s when it is invalid (%s)", (variable, value) => {
    const parse = () => parseEnv({ LAKE_DATA_DIR: dataDir(), [variable]: value });
    expect(parse).toThrow(EnvError);
    expect(parse).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });

  it("treats empty variables as unset", () => {
    const env = parseEnv({ LAKE_DATA_DIR: dataDir(), DATABASE_URL: "", REDIS_URL: "" });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.REDIS_URL).toBeUndefined();
  });

  it("generates missing secrets once and keeps them, readable only by the owner", () => {
    const dir = dataDir();
    const first = parseEnv({ LAKE_DATA_DIR: dir });
    const second = parseEnv({ LAKE_DATA_DIR: dir });
    expect(first.LAKE_AUTH_SECRET).toHaveLength(43);
    expect(first.LAKE_AUTH_SECRET).not.toBe(first.LAKE_ENCRYPTION_KEY);
    expect(second.LAKE_AUTH_SECRET).toBe(first.LAKE_AUTH_SECRET);
    expect(second.LAKE_ENCRYPTION_KEY).toBe(first.LAKE_ENCRYPTION_KEY);
    const file = path.join(dir, "secrets.json");
    expect(JSON.parse(readFileSync(file, "utf8"))).toHaveProperty("LAKE_AUTH_SECRET");
    expect(statSync(file).mode & 0o077).toBe(0);
  });

  it("uses secrets from the environment when given", () => {
    const secret = "s".repeat(40);
    const env = parseEnv({
      LAKE_DATA_DIR: dataDir(),
      LAKE_AUTH_SECRET: secret,
      LAKE_ENCRYPTION_KEY: secret,
    });
    expect(env.LAKE_AUTH_SECRET).toBe(secret);
  });
});
