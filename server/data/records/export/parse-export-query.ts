import { parseRecordQuery } from "../query/parse-record-query";
import { queryParameterError } from "../query/query-parameter-error";
import { type RecordQuery } from "../query/record-query.schemas";

export const EXPORT_FORMATS = ["csv", "ndjson"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Records read from the database per statement while an export streams. */
export const EXPORT_PAGE_SIZE = 1000;

/** Page parameters of GET /data that mean nothing for an export, which has every page. */
const PAGING_PARAMETERS = ["limit", "cursor", "count"] as const;

/**
 * The query string of `GET /api/v1/lake/data/export`: GET /data's filters, order and selection
 * (parsed by the same parser, so an export is exactly a query's records), plus `format`. The
 * paging parameters are refused rather than ignored: an export always has every matching record.
 */
export function parseExportQuery(params: URLSearchParams): {
  query: RecordQuery;
  format: ExportFormat;
} {
  const rest = new URLSearchParams();
  let format: string | undefined;
  for (const [key, value] of params) {
    if (key === "format") {
      if (format !== undefined) throw queryParameterError(key, value, "is given more than once");
      format = value;
    } else if ((PAGING_PARAMETERS as readonly string[]).includes(key)) {
      throw queryParameterError(
        key,
        value,
        "is not taken by an export, which streams every matching record",
      );
    } else {
      rest.append(key, value);
    }
  }
  if (format === undefined) format = "csv";
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw queryParameterError("format", format, "must be csv or ndjson");
  }
  const query = parseRecordQuery(rest);
  return { query: { ...query, limit: EXPORT_PAGE_SIZE }, format: format as ExportFormat };
}
