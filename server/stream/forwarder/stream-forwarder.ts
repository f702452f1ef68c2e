import type pg from "pg";

import { type Database } from "../../db/client";
import { inPoolTransaction } from "../../db/pool-transaction";
import { logger } from "../../observability/logger";
import { protoEventOf, timestampToIso } from "../contracts/proto-values";
import { selectEventsAfter, selectLogBounds } from "../events/stream-events.queries";
import { insertTimeSeriesSql } from "../timeseries/time-series.queries";
import { timeSeriesPointSchema } from "../timeseries/time-series.schemas";
import { CircuitOpenError } from "../../resilience/circuit-open-error";
import { type BreakerStateName } from "../../resilience/circuit-breakers";
import { type DependencyPolicy } from "../../resilience/dependency-policy";
import { type ProcessResult, type StreamProcessorClient } from "./stream-processor-client";

const CURSOR = "stream-service";
/** The owner of points the Stream service computed: no user, the nil UUID. */
export const STREAM_SERVICE_OWNER = "00000000-0000-0000-0000-000000000000";

export type ForwarderState = {
  breaker: BreakerStateName;
  /** While the circuit is open: how long until its trial call. */
  retryAfterMs?: number;
  /** The last offset Datapunk Stream has processed. */
  cursor?: string;
  /** Events in the log it has not processed yet. */
  lag?: number;
  forwarded: number;
  lastError?: string;
};

type Step = "forwarded" | "idle" | "busy";

/** Where the service is in the log; a first start begins at the log's end (not the past). */
async function readCursor(db: Database): Promise<string> {
  const { head } = await selectLogBounds(db);
  const { rows } = await db.pool.query<{ offset: string }>(
    `INSERT INTO stream_cursors (name, "offset", updated_at) VALUES ($1, $2, now())
     ON CONFLICT (name) DO UPDATE SET name = excluded.name
     RETURNING "offset"::text AS "offset"`,
    [CURSOR, head],
  );
  return rows[0]!.offset;
}

/**
 * Forwards the event log to Datapunk Stream, in order, in batches, and stores what it sends back
 * (time series points). Its place in the log is a cursor row in PostgreSQL, moved in the same
 * transaction that stores the batch's result, so a crash or an outage resends a batch rather than
 * losing it, and the service is caught up from the log when it returns — however long it was
 * gone, within the log's retention. No transaction is held during the call: the cursor moves only
 * from where the batch started, so with several instances a batch may be sent twice (batches are
 * idempotent by id) but is stored once. Calls go through the `stream` dependency policy (retries,
 * retry budget, circuit breaker, per-attempt timeout); while the circuit is open the forwarder
 * waits and the Lake goes on ingesting.
 */
export function startStreamForwarder(options: {
  db: Database;
  client: StreamProcessorClient;
  resilience: DependencyPolicy;
  batchSize: number;
  idleMs: number;
}) {
  const { db, client, resilience, batchSize } = options;
  const state: Omit<ForwarderState, "breaker" | "retryAfterMs"> = { forwarded: 0 };

  async function step(): Promise<Step> {
    const cursor = await readCursor(db);
    state.cursor = cursor;
    const events = await selectEventsAfter(db, { after: cursor, limit: batchSize });
    if (events.length === 0) return "idle";
    const first = events[0]!.offset;
    const last = events.at(-1)!.offset;
    const result = await resilience.execute(({ signal }) =>
      client.process(
        {
          batchId: `${first}-${last}`,
          messages: events.map((event) => ({ offset: event.offset, event: protoEventOf(event) })),
        },
        signal,
      ),
    );
    const moved = await inPoolTransaction(db.pool, (tx) => storeResult(tx, result, cursor, last));
    if (!moved) return "busy";
    state.cursor = last;
    state.forwarded += events.length;
    state.lastError = undefined;
    return "forwarded";
  }

  let stopped = false;
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const running = (async () => {
    while (!stopped) {
      try {
        const outcome = await step();
        if (outcome !== "forwarded") await pause(outcome === "busy" ? 5_000 : options.idleMs);
      } catch (error) {
        state.lastError = (error as Error).message;
        if (!(error instanceof CircuitOpenError)) {
          logger().warn({ err: error }, "forwarding to Datapunk Stream failed; will resend");
        }
        await pause(1_000);
      }
    }
  })();

  return {
    /** The state for /ready and /metrics, with the lag read now. */
    async status(): Promise<ForwarderState> {
      const { head } = await selectLogBounds(db);
      const lag =
        state.cursor === undefined ? undefined : Number(BigInt(head) - BigInt(state.cursor));
      const breaker = resilience.snapshot();
      return {
        ...state,
        breaker: breaker.state,
        ...(breaker.retryAfterMs === undefined ? {} : { retryAfterMs: breaker.retryAfterMs }),
        lag,
      };
    },
    async stop() {
      stopped = true;
      wake?.();
      await running;
      client.close();
      resilience.dispose();
    },
  };
}

/**
 * Moves the cursor from `from` to `last` and stores the batch's points, in one transaction; false
 * when another instance moved the cursor first (it stored the same batch: nothing to do).
 */
async function storeResult(
  tx: pg.PoolClient,
  result: ProcessResult,
  from: string,
  last: string,
): Promise<boolean> {
  const moved = await tx.query(
    `UPDATE stream_cursors SET "offset" = $3, updated_at = now() WHERE name = $1 AND "offset" = $2`,
    [CURSOR, from, last],
  );
  if (moved.rowCount !== 1) return false;
  const points = result.points.flatMap((point) => {
    const parsed = timeSeriesPointSchema.safeParse({
      series: point.series,
      timestamp: timestampToIso(point.timestamp),
      value: point.value,
      tags: point.tags ?? {},
    });
    if (!parsed.success) {
      logger().warn({ series: point.series }, "Datapunk Stream sent an invalid point; skipped");
      return [];
    }
    return [parsed.data];
  });
  if (points.length > 0) {
    const { text, values } = insertTimeSeriesSql(points, STREAM_SERVICE_OWNER);
    await tx.query(text, values);
  }
  return true;
}

export type StreamForwarder = ReturnType<typeof startStreamForwarder>;
