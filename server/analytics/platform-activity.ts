import { z } from "zod";

import { authorize } from "../auth/authorize";
import { isAdmin } from "../auth/principal";
import { Prisma } from "../db/generated/client";
import { publishedSql } from "../data/records/published-records";
import { queryRows } from "../data/records/query-rows";
import { toAppError } from "../errors/to-app-error";
import { type ServiceContext } from "../service-context";
import { type ImportVolume, type RecordActivity } from "./analytics.schemas";
import { timeRangeSchema, toTimeRange } from "./time-range.schemas";

const PUBLISHED = Prisma.raw(publishedSql("r"));

export const recordActivityQuerySchema = z
  .object({ dataset: z.string().min(1).max(200).optional().describe("One dataset (id or name).") })
  .and(timeRangeSchema);

/**
 * Records created, updated and deleted per dataset and step. Creations come from the records
 * themselves; updates and deletions from the event log's `records` topic, so they reach back as
 * far as the log keeps (LAKE_EVENT_RETENTION_HOURS). An owner-only dataset counts the caller's
 * own records (an admin's: everyone's), as reading them would.
 */
export async function recordActivity(
  options: Pick<ServiceContext, "db" | "principal"> & { query: unknown },
): Promise<RecordActivity> {
  const { db, principal } = options;
  authorize(principal, "read");
  const parsed = recordActivityQuerySchema.safeParse(options.query);
  if (!parsed.success) throw toAppError(parsed.error);
  const range = toTimeRange(parsed.data);
  const dataset = parsed.data.dataset ?? null;
  const everyOwner = isAdmin(principal);
  const step = Prisma.sql`make_interval(secs => ${range.stepSeconds})`;
  const rows = await queryRows<{
    t: Date;
    dataset: string;
    created: string;
    updated: string;
    deleted: string;
  }>(
    db,
    "lake_record_activity",
    Prisma.sql`
      WITH visible AS (
        SELECT id, name, policy FROM datasets
         WHERE ${dataset}::text IS NULL OR name = ${dataset} OR id::text = ${dataset}
      ), created AS (
        SELECT date_bin(${step}, r.created_at, ${range.from}) AS t, d.name AS dataset,
               count(*) AS created, 0::bigint AS updated, 0::bigint AS deleted
          FROM records r JOIN visible d ON d.id = r.dataset_id
         WHERE r.created_at >= ${range.from} AND r.created_at < ${range.to} AND ${PUBLISHED}
           AND (d.policy = 'analytics' OR ${everyOwner} OR r.owner_id = ${principal.userId}::uuid)
         GROUP BY 1, 2
      ), changed AS (
        SELECT date_bin(${step}, e.event_time, ${range.from}) AS t, d.name AS dataset, 0::bigint,
               count(*) FILTER (WHERE e.payload->>'action' = 'update'),
               count(*) FILTER (WHERE e.payload->>'action' = 'delete')
          FROM stream_events e JOIN visible d ON d.id = e.dataset_id
         WHERE e.topic = 'records' AND e.event_time >= ${range.from} AND e.event_time < ${range.to}
           AND (d.policy = 'analytics' OR ${everyOwner} OR e.owner_id = ${principal.userId}::uuid)
         GROUP BY 1, 2
      )
      SELECT t, dataset, sum(created)::text AS created, sum(updated)::text AS updated,
             sum(deleted)::text AS deleted
        FROM (SELECT * FROM created UNION ALL SELECT * FROM changed) AS activity
       GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  return {
    step_seconds: range.stepSeconds,
    points: rows.map((row) => ({
      t: row.t.toISOString(),
      dataset: row.dataset,
      created: Number(row.created),
      updated: Number(row.updated),
      deleted: Number(row.deleted),
    })),
  };
}

/** Imports finished per step: jobs by outcome, rows loaded and rejected, bytes; the caller's own (an admin's: all). */
export async function importVolume(
  options: Pick<ServiceContext, "db" | "principal"> & { query: unknown },
): Promise<ImportVolume> {
  const { db, principal } = options;
  authorize(principal, "read");
  const parsed = timeRangeSchema.safeParse(options.query);
  if (!parsed.success) throw toAppError(parsed.error);
  const range = toTimeRange(parsed.data);
  const everyOwner = isAdmin(principal);
  const rows = await queryRows<
    Record<keyof Omit<ImportVolume["points"][number], "t">, string> & { t: Date }
  >(
    db,
    "lake_import_volume",
    Prisma.sql`
      SELECT date_bin(make_interval(secs => ${range.stepSeconds}), finished_at, ${range.from}) AS t,
             count(*)::text AS jobs,
             count(*) FILTER (WHERE status = 'succeeded')::text AS succeeded,
             count(*) FILTER (WHERE status = 'failed')::text AS failed,
             sum(rows_loaded)::text AS rows_loaded, sum(rows_rejected)::text AS rows_rejected,
             coalesce(sum(bytes_total), 0)::text AS bytes
        FROM import_jobs
       WHERE finished_at >= ${range.from} AND finished_at < ${range.to}
         AND (${everyOwner} OR owner_id = ${principal.userId}::uuid)
       GROUP BY 1 ORDER BY 1`,
  );
  return {
    step_seconds: range.stepSeconds,
    points: rows.map((row) => ({
      t: row.t.toISOString(),
      jobs: Number(row.jobs),
      succeeded: Number(row.succeeded),
      failed: Number(row.failed),
      rows_loaded: Number(row.rows_loaded),
      rows_rejected: Number(row.rows_rejected),
      bytes: Number(row.bytes),
    })),
  };
}
