import { type Principal } from "../../../auth/principal";
import { type Database } from "../../../db/client";
import { projectRecord } from "../query/project-record";
import {
  buildRecordQuerySql,
  sortValues,
  type RecordQueryRow,
} from "../query/record-query.queries";
import { type RecordQuery, type RecordQueryItem } from "../query/record-query.schemas";
import { resolveRecordScope } from "../query-records";
import { toRecordView } from "../records.schemas";
import { csvColumns, csvHeader, csvRow } from "./record-csv";
import { type ExportFormat } from "./parse-export-query";

export type ExportRecordsOptions = {
  db: Pick<Database, "pool" | "prisma">;
  principal: Principal;
  /** From parseExportQuery: `limit` is the page size read per statement, not a total. */
  query: RecordQuery;
  format: ExportFormat;
};

export type RecordExport = {
  filename: string;
  contentType: string;
  body: ReadableStream<Uint8Array>;
};

type Page = { items: RecordQueryItem[]; cursor: string[] | undefined };

/**
 * Every record a query matches, as CSV or NDJSON, under the same read permission and policy scope
 * as GET /data (resolveRecordScope). Read in keyset pages of `query.limit` rows, each only when the
 * client has taken the previous one, so memory stays at about one page whatever the size of the
 * result. The first page is read before this returns: a refusal (a bad filter, an unknown dataset,
 * a forbidden owner, a database down) is still an error answer, not a broken download.
 */
export async function exportRecords(options: ExportRecordsOptions): Promise<RecordExport> {
  const { db, principal, query, format } = options;
  const { scope, dataset } = await resolveRecordScope({ db, principal, query });
  const readPage = async (cursor: string[] | undefined): Promise<Page> => {
    const { rows } = await db.pool.query<RecordQueryRow>(
      buildRecordQuerySql({ ...query, cursor }, scope),
    );
    const items = rows
      .slice(0, query.limit)
      .map((row) => projectRecord(toRecordView(row), query.select));
    const last = rows.length > query.limit ? rows[query.limit - 1] : undefined;
    return { items, cursor: last ? sortValues(last, query.order) : undefined };
  };

  const first = await readPage(query.cursor);
  const columns =
    format === "csv"
      ? csvColumns({ select: query.select, schema: dataset?.jsonSchema, firstPage: first.items })
      : undefined;
  const render = (items: RecordQueryItem[]) =>
    columns ? items.map((item) => csvRow(item, columns)).join("") : ndjson(items);

  const encoder = new TextEncoder();
  let started = false;
  let cursor = first.cursor;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let text: string;
      if (!started) {
        started = true;
        text = (columns ? csvHeader(columns) : "") + render(first.items);
      } else {
        const page = await readPage(cursor);
        text = render(page.items);
        cursor = page.cursor;
      }
      if (text) controller.enqueue(encoder.encode(text));
      // The first page's cursor is read here too: a one-page export ends with its first chunk.
      if (!cursor) controller.close();
    },
  });

  const base = filenameBase(dataset?.name);
  return format === "csv"
    ? { filename: `${base}.csv`, contentType: "text/csv; charset=utf-8", body }
    : { filename: `${base}.ndjson`, contentType: "application/x-ndjson; charset=utf-8", body };
}

function ndjson(items: RecordQueryItem[]): string {
  return items.map((item) => `${JSON.stringify(item)}\n`).join("");
}

/** `<dataset>-<UTC time>`: only characters every file system and header accepts. */
function filenameBase(datasetName: string | undefined): string {
  const stamp = new Date()
    .toISOString()
    .replace(/[:.]/g, "-")
    .replace(/-\d{3}Z$/, "Z");
  const name = (datasetName ?? "records").replace(/[^A-Za-z0-9_.-]+/g, "_").slice(0, 100);
  return `${name}-${stamp}`;
}
