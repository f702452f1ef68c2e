// `npm start` builds first when needed: no production build yet, or sources changed since the
// last one. The stamp is a hash of the paths, sizes and mtimes of everything a build reads.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const INPUTS = [
  "app",
  "components",
  "server",
  "prisma",
  "public",
  "next.config.js",
  "scripts/build-server.mjs",
  "package-lock.json",
  "tsconfig.json",
];
const SKIP = new Set(["node_modules", "generated", ".next", ".data"]);
const STAMP = ".next/lake-build-stamp";

function* files(entry) {
  if (!existsSync(entry)) return;
  const stat = statSync(entry);
  if (!stat.isDirectory()) {
    yield `${entry}:${stat.size}:${stat.mtimeMs}`;
    return;
  }
  for (const name of readdirSync(entry).sort()) {
    if (!SKIP.has(name) && !name.endsWith(".test.ts")) yield* files(path.join(entry, name));
  }
}

const hash = createHash("sha256");
for (const input of INPUTS) for (const line of files(input)) hash.update(line + "\n");
const stamp = hash.digest("hex");

const built =
  existsSync(".next/BUILD_ID") &&
  existsSync(".next/lake-server/main.mjs") &&
  existsSync(STAMP) &&
  readFileSync(STAMP, "utf8") === stamp;
if (!built) {
  console.log("Building Datapunk Lake (first start, or sources changed)…");
  const result = spawnSync("npm", ["run", "build"], {
    stdio: "inherit",
    shell: process.platform === "win32",
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(STAMP, stamp);
}
