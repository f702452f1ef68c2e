import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { IdleExpiringFileStore } from "./upload-store";

describe("IdleExpiringFileStore.deleteIdle", () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  // FileStore makes its directory without waiting, so the first sweep of a fresh install can
  // list it before it is there (seen in a spawned Lake's log). That race is not reproducible on
  // demand; a directory that is not there when the sweep lists it is.
  it("finds nothing to sweep, without an error, when its directory is not there", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "lake-upload-store-"));
    roots.push(root);
    const directory = path.join(root, "uploads");
    const store = new IdleExpiringFileStore({ directory, expirationPeriodInMilliseconds: 60_000 });
    await expect.poll(() => existsSync(directory)).toBe(true);
    rmSync(directory, { recursive: true });
    await expect(store.deleteIdle()).resolves.toEqual([]);
  });
});
