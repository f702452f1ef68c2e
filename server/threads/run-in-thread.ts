import { startThread, type ThreadModule } from "./thread-module";

/**
 * Runs a module's default export once in a worker thread of its own and resolves with what it
 * returns (or rejects with what it throws). For heavy one-off work whose memory should not
 * outlive it: everything the thread loaded — modules, WebAssembly instances, its heap — is freed
 * when it ends, where in the main thread it would stay resident for the life of the process.
 */
export function runInThread<Input, Output>(module: ThreadModule, input: Input): Promise<Output> {
  return new Promise<Output>((resolve, reject) => {
    let settled = false;
    const worker = startThread(module, { input, oneShot: true });
    worker.once("message", (output: Output) => {
      settled = true;
      resolve(output);
      // The thread may hold handles (a pool's idle timer, the TypeScript loader's) that would
      // keep it, and its memory, alive.
      void worker.terminate();
    });
    worker.once("error", (error) => {
      settled = true;
      reject(error);
    });
    worker.once("exit", (code) => {
      if (!settled) reject(new Error(`The worker thread for ${module.entry} exited (${code}).`));
    });
  });
}
