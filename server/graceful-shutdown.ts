import type { Server } from "node:http";

export type GracefulShutdownOptions = {
  server: Server;
  /** How long in-flight requests may take before their connections are cut. */
  timeoutMs: number;
  /**
   * How long to go on taking requests first, while /ready already answers 503 (the caller has
   * marked the process draining): load balancers notice it leave before its port closes.
   */
  acceptForMs?: number;
  /** Run after the server stops accepting (close sockets of long-lived peers, e.g. WebSockets). */
  beforeDrain?: () => Promise<void>;
  /** Run once no request is in flight: close pools, queues, the database. */
  afterDrain?: () => Promise<void>;
};

/**
 * Go on serving for `acceptForMs`, then stop accepting, let in-flight requests finish (cut them
 * after `timeoutMs`), then release resources. Resolves with `timedOut` so the caller can say so
 * in its exit.
 */
export async function gracefulShutdown(
  options: GracefulShutdownOptions,
): Promise<{ timedOut: boolean }> {
  const { server } = options;
  if (options.acceptForMs) await new Promise((resolve) => setTimeout(resolve, options.acceptForMs));
  let timedOut = false;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Keep-alive connections hold close() open until they time out: close each as soon as its last
  // request is answered.
  server.closeIdleConnections();
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  const force = setTimeout(() => {
    timedOut = true;
    server.closeAllConnections();
  }, options.timeoutMs);
  try {
    await options.beforeDrain?.();
    await closed;
  } finally {
    clearTimeout(force);
    clearInterval(sweep);
  }
  await options.afterDrain?.();
  return { timedOut };
}
