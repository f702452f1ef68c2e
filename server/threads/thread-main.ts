// What every worker thread of the Lake runs first (compiled: `thread-main.mjs`; from source it is
// loaded by typescript-entry.mjs once tsx is registered): loads the module named in
// `workerData.entry`. A long-lived worker (the import transform) installs its own message
// handler; a one-shot task (`runInThread`) exports a default function whose result is posted
// back, after which the caller ends the thread.
import { parentPort, workerData } from "node:worker_threads";

type ThreadData = { entry: string; oneShot?: boolean; input?: unknown };
type TaskModule = { default?: (input: unknown) => unknown };

const { entry, oneShot, input } = workerData as ThreadData;
const task = (await import(entry)) as TaskModule;
if (oneShot) parentPort!.postMessage(await task.default!(input));
