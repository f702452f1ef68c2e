// The two servers under test run as child processes of their own, so neither shares an event
// loop with autocannon; their output is kept (the last lines) to explain a failure.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

const KEPT_LINES = 60;

export type Child = {
  name: string;
  process: ChildProcess;
  /** The last lines of stdout and stderr. */
  output(): string;
  /** Resolves with the first stdout line matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
};

export function startChild(options: {
  name: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Another Node than this one (bench:graphql runs PostGraphile on Node 22). */
  execPath?: string;
}): Child {
  const child = spawn(options.execPath ?? process.execPath, options.args, {
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  // Lines, not chunks: a long line (a fan-out client's result) arrives in several.
  const keeper = () => {
    let partial = "";
    return (chunk: Buffer) => {
      const parts = (partial + chunk.toString()).split("\n");
      partial = parts.pop()!;
      for (const line of parts) {
        if (!line.trim()) continue;
        lines.push(line.length > 2000 ? `${line.slice(0, 2000)}…` : line);
        if (lines.length > KEPT_LINES) lines.shift();
        for (const listener of listeners) listener(line);
      }
    };
  };
  child.stdout.on("data", keeper());
  child.stderr.on("data", keeper());
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const describe = () =>
    `${options.name} exited (code ${child.exitCode}, signal ${child.signalCode})\n${lines.join("\n")}`;

  return {
    name: options.name,
    process: child,
    output: () => lines.join("\n"),
    waitForLine(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(new Error(`${options.name}: no line matching ${pattern} within ${timeoutMs} ms`));
        }, timeoutMs);
        const listener = (line: string) => {
          const match = pattern.exec(line);
          if (!match) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolve(match);
        };
        listeners.add(listener);
        void exited.then(() => {
          clearTimeout(timer);
          reject(new Error(describe()));
        });
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const killed = sleep(15_000).then(() => child.kill("SIGKILL"));
      await Promise.race([exited, killed]);
      await exited;
    },
  };
}

/** Polls `url` until it answers 200; fails early when the child exits. */
export async function waitForReady(child: Child, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null || child.process.signalCode !== null) {
      throw new Error(
        `${child.name} exited before it was ready (code ${child.process.exitCode}):\n${child.output()}`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  throw new Error(`${child.name} was not ready within ${timeoutMs} ms:\n${child.output()}`);
}

/** A port nobody listens on right now, for the Lake's PORT. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The children a bench starts, stopped however it ends: a signal (exit 130), a failure (their last
 * output printed, exit 1) or the end of `main`, which stops them itself in its `finally`.
 */
export function benchChildren(name: string) {
  const children: Child[] = [];
  const stop = () => Promise.all(children.map((child) => child.stop()));
  return {
    add(child: Child) {
      children.push(child);
      return child;
    },
    stop,
    run(main: () => Promise<void>) {
      for (const signal of ["SIGINT", "SIGTERM"] as const) {
        process.on(signal, () => void stop().then(() => process.exit(130)));
      }
      main().catch(async (error: unknown) => {
        console.error(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
        await stop();
        for (const child of children)
          console.error(`\n--- last output of the ${child.name} ---\n${child.output()}`);
        process.exit(1);
      });
    },
  };
}
