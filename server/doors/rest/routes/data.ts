import { createRecords } from "../../../data/records/create-records";
import { queryRecordsCached } from "../../../data/records/query-records-cached";
import { parseRecordQuery } from "../../../data/records/query/parse-record-query";
import { createRecordsBodySchema } from "../../../data/records/record-requests.schemas";
import { apiRoute } from "../api-route";
import { jsonResponse } from "../json-response";
import { dataRateLimit } from "../../rate-limits";
import { withIdempotency } from "../idempotency";

/** Query records: filters, sort, field selection, cursor pagination (README: "Querying data"). */
export const GET = apiRoute({
  endpoint: "/api/v1/lake/data",
  permission: "read",
  rateLimit: dataRateLimit,
  handler: async (input) => {
    const queryString = new URL(input.request.url).searchParams;
    return queryRecordsCached({
      ...input.services,
      query: parseRecordQuery(queryString),
      queryString,
    });
  },
});

/** Create one record or many (all or nothing); `Idempotency-Key` makes retries safe. */
export const POST = apiRoute({
  endpoint: "/api/v1/lake/data",
  permission: "write",
  rateLimit: dataRateLimit,
  body: createRecordsBodySchema,
  handler: async (input) => {
    const context = input.services;
    const { body } = input;
    const result = await withIdempotency({
      db: context.db,
      principal: context.principal,
      key: input.request.headers.get("idempotency-key"),
      fingerprint: () => `POST /api/v1/lake/data ${JSON.stringify(body)}`,
      run: async (db) => {
        const payloads = "payload" in body ? [body.payload] : body.records;
        const records = await createRecords({ ...context, db, dataset: body.dataset, payloads });
        return {
          status: 201,
          body: "payload" in body ? records[0] : { records, count: records.length },
        };
      },
    });
    return jsonResponse(result.body, {
      status: result.status,
      headers: result.replayed ? { "Idempotent-Replayed": "true" } : {},
    });
  },
});
