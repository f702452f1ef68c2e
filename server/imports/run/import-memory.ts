/**
 * V8 collects a thread's heap only when that thread allocates, so once an import ends an idle
 * server keeps its garbage — progress writes, the error report's rows, the batches' messages —
 * for as long as nothing else runs: after a cancelled hostile import the main heap held 112 MB
 * (66 MB live) and the RSS stayed ~70 MB over idle; one full collection gave ~35 MB of it back
 * (docs/decisions/0009). Production processes start with `--expose-gc` (scripts/server-process.mjs)
 * so that the last import to end asks for that collection; elsewhere this changes nothing.
 */
const COLLECT_AFTER_MS = 1_000;

let running = 0;
let timer: NodeJS.Timeout | undefined;

const collect = () => {
  timer = undefined;
  if (running === 0) (globalThis as { gc?: () => void }).gc?.();
};

/** Runs one import run; when no other is left running in the process, collects its garbage. */
export async function withImportMemory<T>(run: () => Promise<T>): Promise<T> {
  running += 1;
  try {
    return await run();
  } finally {
    running -= 1;
    if (running === 0 && !timer) {
      // A moment later, so the run's last writes and events are done (and garbage) too.
      timer = setTimeout(collect, COLLECT_AFTER_MS);
      timer.unref();
    }
  }
}
