// The process entry: one HTTP server for Next.js (console, REST, tRPC, auth, uploads) that also
// owns WebSocket upgrades, on one port; graceful shutdown on SIGTERM/SIGINT (ARCHITECTURE.md).
import { EventEmitter } from "node:events";
import { createServer, type Server } from "node:http";

import next from "next";

import { bootstrapAdmin } from "./auth/bootstrap-admin";
import { bootServices, loadConfigOrExit, onStopSignals } from "./boot";
import { apiRouteMethods, directApiRoutes } from "./doors/rest/rest-routes";
import { answerClientError, answerFailedExpectation } from "./doors/rest/protocol-errors";
import { refuseUnroutable } from "./doors/rest/refuse-unroutable";
import { gracefulShutdown } from "./graceful-shutdown";
import { markDraining } from "./observability/draining";
import { nodeRouteAdapter, routeMatcher } from "./doors/rest/node-route-adapter";
import { stampRequest } from "./doors/rest/stamp-request";
import { upgradeRouter, type UpgradeHandler } from "./doors/websocket/upgrade";
import { startImportWorkers, stopImportWorkers } from "./imports/run/import-workers";
import { STREAM_PATH } from "./doors/websocket/stream-path";
import { webSocketDoorOptions } from "./doors/websocket/authenticated-sockets";
import { createWsHub } from "./doors/websocket/ws-hub";
import { createGraphQLWs } from "./doors/graphql/graphql-ws";
import { GRAPHQL_PATH } from "./doors/graphql/graphql-server";
import { startStreamServices } from "./stream/stream-services";
import { startWindows } from "./stream/windows/window-services";
import { startWebhookDelivery } from "./stream/webhooks/deliver-webhooks";
import { webhookDeliveryOptions } from "./stream/webhooks/webhook-config";
import { startGrpcDoor } from "./doors/grpc/grpc-server";
import { requestPayloadIndexUpkeep } from "./data/datasets/payload-index-upkeep";
import { restoreNativeDate } from "./native-date";

const dev = process.argv.includes("--dev");

async function main() {
  const config = loadConfigOrExit();
  const { log, db, cache, tracing } = await bootServices(config, {
    connectionName: "lake",
    metricsPort: config.PORT,
  });
  const stream = await startStreamServices({ db, cache, config });
  const grpc = config.LAKE_GRPC_PORT > 0 ? await startGrpcDoor(config) : undefined;

  const admin = await bootstrapAdmin({
    db,
    email: config.LAKE_ADMIN_EMAIL,
    password: config.LAKE_ADMIN_PASSWORD,
  });
  if (admin.created) {
    // Printed, not logged: the one time anyone sees this password.
    console.log(
      admin.oneTimePassword
        ? `\n  Admin account created: ${admin.email}\n  One-time password:     ${admin.oneTimePassword}\n  (change it at first sign-in; it is not shown again)\n`
        : `\n  Admin account created: ${admin.email} (password from LAKE_ADMIN_PASSWORD)\n`,
    );
  }

  // Next attaches its own 'upgrade' listener to the server of the first request it sees, and that
  // listener closes any upgrade whose path matches a route (our /api/v1/lake/[...path] 404 catches
  // the stream path). Handing Next a sink of its own keeps upgrades ours; dev HMR is forwarded.
  const nextUpgradeSink = new EventEmitter() as Server;
  const app = next({
    dev,
    dir: process.cwd(),
    hostname: config.HOST,
    port: config.PORT,
    httpServer: nextUpgradeSink,
  });
  await app.prepare();
  restoreNativeDate();
  const handle = app.getRequestHandler();
  // Background work runs here unless this is a web-only instance (LAKE_WORKERS=false); with
  // Redis, `npm run worker` processes on any host share the same queues.
  if (config.LAKE_WORKERS) await startImportWorkers();
  // Payload indexes that datasets ask for and that are missing (a migration, a crash mid-build)
  // are built in the background; dataset changes ask again, on whichever instance makes them.
  if (config.LAKE_WORKERS) void requestPayloadIndexUpkeep({ db, cache });
  const windows = config.LAKE_WORKERS
    ? await startWindows({ db, cache, config, onLogGrowth: (notify) => stream.tail.listen(notify) })
    : undefined;
  const webhooks = config.LAKE_WORKERS
    ? startWebhookDelivery(webhookDeliveryOptions(db, config))
    : undefined;
  const hub = createWsHub(webSocketDoorOptions(config));
  const graphqlWs = createGraphQLWs(webSocketDoorOptions(config));
  const serveDirect = nodeRouteAdapter(directApiRoutes());
  const refuse = refuseUnroutable(routeMatcher(apiRouteMethods()));

  const server = createServer((req, res) => {
    stampRequest(req, res, { trustProxy: config.LAKE_TRUST_PROXY, dev });
    if (!refuse(req, res) && !serveDirect(req, res)) void handle(req, res);
  });
  server.on("clientError", answerClientError);
  server.on("checkExpectation", (req, res) => {
    stampRequest(req, res, { trustProxy: config.LAKE_TRUST_PROXY });
    answerFailedExpectation(req, res);
  });
  // Dev HMR goes to the listener Next put on the sink (at the first request it handled):
  // app.getUpgradeHandler() reaches an inner server that never answers, so the handshake timed
  // out and Turbopack's dev client never hydrated the page.
  const nextUpgrade: UpgradeHandler | undefined = dev
    ? (req, socket, head) => {
        if (!nextUpgradeSink.emit("upgrade", req, socket, head)) socket.destroy();
      }
    : undefined;
  server.on(
    "upgrade",
    upgradeRouter(
      { [STREAM_PATH]: hub.handleUpgrade, [GRAPHQL_PATH]: graphqlWs.handleUpgrade },
      nextUpgrade,
    ),
  );
  await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  log.info({ port, dev }, "listening");
  console.log(`  Datapunk Lake is ready on http://localhost:${port}`);

  onStopSignals({
    force: (signal) => {
      log.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    },
    stop: async (signal) => {
      // Not ready from this moment (/ready: 503 "draining"), while requests in flight finish.
      markDraining();
      log.info({ signal, acceptForMs: config.LAKE_SHUTDOWN_DELAY_MS }, "shutting down");
      const { timedOut } = await gracefulShutdown({
        server,
        timeoutMs: config.LAKE_SHUTDOWN_TIMEOUT_MS,
        acceptForMs: config.LAKE_SHUTDOWN_DELAY_MS,
        beforeDrain: () =>
          Promise.all([hub.close(), graphqlWs.close(), grpc?.close()]).then(() => undefined),
        afterDrain: async () => {
          // Running imports stop at their next batch and resume from their last loaded line.
          await stopImportWorkers();
          await windows?.stop();
          await webhooks?.stop();
          await app.close();
          await stream.close();
          await cache.close();
          await db.close();
          // The spans of the last requests, exported before the process ends.
          await tracing.shutdown();
        },
      });
      log.info({ timedOut }, "stopped");
      process.exit(0);
    },
  });
}

main().catch((error: unknown) => {
  console.error(`Datapunk Lake failed to start: ${(error as Error).message}`);
  process.exit(1);
});
