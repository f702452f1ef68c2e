import { createServer, type Server } from "node:http";

import { metrics } from "./metrics";

/**
 * A process that serves no HTTP otherwise (`npm run worker`) still has what Prometheus scrapes:
 * GET /metrics, and /health for its liveness probe, on a port of its own.
 */
export async function listenForScrapes(options: { host: string; port: number }): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (request.method === "GET" && path === "/metrics") {
      const { registry } = metrics();
      registry
        .metrics()
        .then((text) => {
          response.writeHead(200, { "content-type": registry.contentType });
          response.end(text);
        })
        .catch(() => {
          response.writeHead(500).end();
        });
    } else if (request.method === "GET" && path === "/health") {
      response.writeHead(200, { "content-type": "application/json" });
      response.end('{"status":"ok"}');
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, resolve);
  });
  return server;
}
