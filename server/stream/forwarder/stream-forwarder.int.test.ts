import { randomUUID } from "node:crypto";

import { afterEach, describe, expect, it } from "vitest";

import { checkReadiness } from "../../observability/readiness";
import { databaseBackends } from "../../testing/backends";
import { useTestDatabase } from "../../testing/test-database";
import { type NewStreamEvent } from "../events/stream-event";
import { appendEvents } from "../events/stream-events.queries";
import { dependencyPolicy } from "../../resilience/dependency-policy";
import { RETRY_POLICIES } from "../../resilience/retry-policies";
import { startStreamForwarder, type StreamForwarder } from "./stream-forwarder";
import { createStreamProcessorClient } from "./stream-processor-client";
import { startStreamPeer, type StreamPeer } from "./testing/stream-peer";

const OWNER = randomUUID();
const metric = (value: number): NewStreamEvent => ({
  topic: "system_metrics",
  partitionKey: "2026-12-04T10:00:00Z",
  eventId: randomUUID(),
  eventTime: "2026-12-04T10:00:00.000Z",
  ownerId: OWNER,
  policy: "analytics",
  datasetId: null,
  payload: { host: "h", name: "cpu", value },
});

const running: { peer?: StreamPeer; forwarders: StreamForwarder[] } = { forwarders: [] };
afterEach(async () => {
  for (const forwarder of running.forwarders.splice(0)) await forwarder.stop();
  await running.peer?.close();
});

describe.each(databaseBackends)("forwarding to Datapunk Stream on $name PostgreSQL", (backend) => {
  const db = useTestDatabase(backend);

  async function start(peer: StreamPeer) {
    const forwarder = startStreamForwarder({
      db: db(),
      client: createStreamProcessorClient({ url: `127.0.0.1:${peer.port}`, deadlineMs: 2_000 }),
      resilience: dependencyPolicy("stream", {
        retry: RETRY_POLICIES.critical,
        breaker: { halfOpenAfterMs: 500, consecutiveFailures: 2 },
      }),
      batchSize: 50,
      idleMs: 50,
    });
    running.forwarders.push(forwarder);
    // Its cursor starts at the log's end: wait for it before appending.
    await expect.poll(async () => (await forwarder.status()).cursor).toBeDefined();
    return forwarder;
  }
  const offsetsSent = (peer: StreamPeer) => peer.batches.flatMap((batch) => batch.offsets);

  it("sends the log in order and stores the points it gets back", async () => {
    const peer = (running.peer = await startStreamPeer());
    const forwarder = await start(peer);
    const appended = await appendEvents(db(), [metric(1), metric(3)]);
    await expect.poll(() => offsetsSent(peer)).toEqual(appended.map((a) => a.offset));
    await expect.poll(async () => (await forwarder.status()).lag).toBe(0);
    const [batch] = peer.batches;
    const points = await db().prisma.timeSeriesPoint.findMany({
      where: { tags: { path: ["batch"], equals: batch!.batchId } },
      orderBy: { series: "asc" },
    });
    expect(points.map((p) => [p.series, p.value])).toEqual([
      ["events.count.system_metrics", 2],
      ["metric.cpu.avg", 2],
    ]);
  });

  it("opens its circuit while the service is down, keeps the log, and catches it up in order", async () => {
    const peer = (running.peer = await startStreamPeer());
    const forwarder = await start(peer);
    peer.setDown(true);
    const during = await appendEvents(
      db(),
      Array.from({ length: 120 }, (_, i) => metric(i)),
    );
    await expect
      .poll(async () => (await forwarder.status()).breaker, { timeout: 20_000 })
      .toBe("open");
    const ready = await checkReadiness({
      db: db(),
      pingRedis: async () => ({ status: "not_configured" }),
      dependencies: { stream: () => forwarder.status() },
    });
    expect(ready.status).toBe("degraded");
    expect(ready.checks.stream).toMatchObject({
      status: "down",
      breaker: "open",
      lagEvents: 120,
    });

    peer.setDown(false);
    await expect.poll(async () => (await forwarder.status()).lag, { timeout: 30_000 }).toBe(0);
    expect(offsetsSent(peer)).toEqual(during.map((a) => a.offset));
    expect((await forwarder.status()).breaker).toBe("closed");
  });

  it("resumes after its cursor when restarted", async () => {
    const peer = (running.peer = await startStreamPeer());
    const first = await start(peer);
    const before = await appendEvents(db(), [metric(1)]);
    await expect.poll(() => offsetsSent(peer)).toEqual(before.map((a) => a.offset));
    await first.stop();
    running.forwarders.splice(running.forwarders.indexOf(first), 1);
    const meanwhile = await appendEvents(db(), [metric(2), metric(3)]);
    await start(peer);
    await expect
      .poll(() => offsetsSent(peer))
      .toEqual([...before, ...meanwhile].map((a) => a.offset));
  });
});
