// Worker threads do not inherit the main thread's TypeScript loader (tsx, or vitest's): this
// plain-JS entry registers tsx in the worker, then loads the TypeScript worker module.
import { workerData } from "node:worker_threads";

import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
