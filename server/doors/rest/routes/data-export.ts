import { exportRecords } from "../../../data/records/export/export-records";
import { parseExportQuery } from "../../../data/records/export/parse-export-query";
import { apiRoute } from "../api-route";
import { dataRateLimit } from "../../rate-limits";
import { streamedResponse } from "../streamed-response";

/** Every record of a query as a CSV or NDJSON download, streamed (README: "Exporting records"). */
export const GET = apiRoute({
  endpoint: "/api/v1/lake/data/export",
  permission: "read",
  rateLimit: dataRateLimit,
  handler: async (input) => {
    const { db, principal } = input.services;
    const { query, format } = parseExportQuery(new URL(input.request.url).searchParams);
    const { filename, contentType, body } = await exportRecords({ db, principal, query, format });
    return streamedResponse(body, {
      headers: {
        "Content-Type": contentType,
        "Content-Disposition": `attachment; filename="${filename}"`,
        "X-Accel-Buffering": "no",
      },
    });
  },
});
