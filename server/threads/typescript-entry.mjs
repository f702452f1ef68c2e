// The entry of the Lake's worker threads when it runs from source (`npm run dev`, tests, scripts):
// worker threads do not inherit the main thread's TypeScript loader (tsx, or vitest's), so this
// plain-JS file registers tsx in the thread before loading thread-main.ts. The compiled server
// starts its threads on thread-main.mjs directly (server/threads/thread-module.ts).
import { register } from "tsx/esm/api";

register();
await import("./thread-main.ts");
