import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type ResourceLimits, Worker } from "node:worker_threads";

/** How to start a worker thread on one of our modules: the thread's first file, and the module. */
export type ThreadModule = { boot: URL; entry: string };

const SOURCE_BOOT = new URL("./typescript-entry.mjs", import.meta.url);

/**
 * A module that runs in worker threads, named by its TypeScript source (`new URL("./x.ts",
 * import.meta.url)` beside the caller). From source, the thread registers tsx and loads that
 * file. In the compiled server (scripts/build-server.mjs) every such module is an entry point of
 * its own, built as `x.mjs` in the one flat directory that also holds this code — so the source
 * path, which does not exist there, gives the name to look for.
 */
export function threadModule(source: URL): ThreadModule {
  if (existsSync(fileURLToPath(source))) return { boot: SOURCE_BOOT, entry: source.href };
  const name = path.basename(fileURLToPath(source), ".ts");
  return {
    boot: new URL("./thread-main.mjs", import.meta.url),
    entry: new URL(`./${name}.mjs`, import.meta.url).href,
  };
}

/**
 * A worker thread on `module`; `input` reaches it as `workerData.input`. With `oneShot`, the
 * module's default export is called with it and its result posted back (runInThread).
 */
export function startThread(
  module: ThreadModule,
  options: { input?: unknown; oneShot?: boolean; resourceLimits?: ResourceLimits } = {},
): Worker {
  return new Worker(module.boot, {
    workerData: { entry: module.entry, oneShot: options.oneShot, input: options.input },
    resourceLimits: options.resourceLimits,
  });
}
