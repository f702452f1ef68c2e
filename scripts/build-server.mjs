// `npm run build`, after `next build`: compiles the custom server (server/main.ts), the worker
// process (server/worker.ts) and the modules that run in worker threads into plain ESM under
// .next/lake-server, so production runs without a TypeScript loader. tsx's loader costs ~90 MB
// resident in a running server (its own loader thread, and every module's source passed through
// it); the compiled server idles at ~210 MB instead of ~300 MB (docs/decisions/0009).
//
// Dependencies stay in node_modules (`packages: "external"`); only our code is bundled, with code
// that several entries share split into chunks, all in one flat directory: a module named by
// `threadModule()` is found there as `<its file name>.mjs` (server/threads/thread-module.ts).
import { rmSync } from "node:fs";

import { build } from "esbuild";

export const SERVER_OUT_DIR = ".next/lake-server";

const entryPoints = {
  main: "server/main.ts",
  worker: "server/worker.ts",
  "thread-main": "server/threads/thread-main.ts",
  "migrations-thread": "server/db/migrations-thread.ts",
  "source-thread": "server/imports/run/pipeline/source-thread.ts",
  "transform-worker": "server/imports/run/pipeline/transform-worker.ts",
};

rmSync(SERVER_OUT_DIR, { recursive: true, force: true });
const started = Date.now();
await build({
  entryPoints,
  outdir: SERVER_OUT_DIR,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.19",
  packages: "external",
  tsconfig: "tsconfig.json",
  // Files, not inline: Node reads them only under --enable-source-maps.
  sourcemap: "linked",
  // .mjs: .next/package.json says CommonJS.
  outExtension: { ".js": ".mjs" },
  logLevel: "warning",
});
console.log(`Server compiled to ${SERVER_OUT_DIR} in ${Date.now() - started} ms`);
