// `npm run worker`: a process that runs the Lake's background work (imports, window aggregation,
// payload index builds) and serves nothing but its metrics (LAKE_WORKER_METRICS_PORT).
// Web instances started with LAKE_WORKERS=false leave their jobs to processes like this one, on
// any host that reaches the same PostgreSQL and Redis (BullMQ shares the queue between them).
import { bootServices, loadConfigOrExit, onStopSignals } from "./boot";
import { listenForScrapes } from "./observability/metrics-listener";
import { startImportWorkers, stopImportWorkers } from "./imports/run/import-workers";
import { startWindows } from "./stream/windows/window-services";
import { startWebhookDelivery } from "./stream/webhooks/deliver-webhooks";
import { webhookDeliveryOptions } from "./stream/webhooks/webhook-config";
import { requestPayloadIndexUpkeep } from "./data/datasets/payload-index-upkeep";

async function main() {
  const config = loadConfigOrExit();
  // The embedded database lives inside one process, and in-process queues cannot be shared:
  // a separate worker only makes sense against real servers.
  if (!config.DATABASE_URL || !config.REDIS_URL) {
    console.error(
      "A worker process needs DATABASE_URL and REDIS_URL (shared with the web instances).",
    );
    process.exit(1);
  }
  const metricsPort = config.LAKE_WORKER_METRICS_PORT;
  const { log, db, cache, tracing } = await bootServices(config, {
    connectionName: "lake-worker",
    metricsPort,
  });
  await startImportWorkers();
  // Payload indexes that datasets ask for and that are missing: built in the background.
  void requestPayloadIndexUpkeep({ db, cache });
  const windows = await startWindows({ db, cache, config });
  const webhooks = startWebhookDelivery(webhookDeliveryOptions(db, config));
  const scrapes =
    metricsPort > 0 ? await listenForScrapes({ host: config.HOST, port: metricsPort }) : undefined;
  log.info({ metricsPort: metricsPort || undefined }, "worker ready");
  console.log("  Datapunk Lake worker is running (imports, windows, webhooks)");

  onStopSignals({
    force: () => process.exit(1),
    stop: async (signal) => {
      log.info({ signal }, "worker shutting down");
      scrapes?.close();
      // Running imports stop at their next batch and go back to the queue for another worker.
      await stopImportWorkers();
      await windows.stop();
      await webhooks.stop();
      await cache.close();
      await db.close();
      await tracing.shutdown();
      process.exit(0);
    },
  });
}

main().catch((error: unknown) => {
  console.error(`Datapunk Lake worker failed to start: ${(error as Error).message}`);
  process.exit(1);
});
