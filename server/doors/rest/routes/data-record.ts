import { deleteRecord } from "../../../data/records/delete-record";
import { etagMatches } from "../../../data/records/etag";
import { getRecord } from "../../../data/records/get-record";
import {
  recordParamsSchema,
  replaceRecordBodySchema,
} from "../../../data/records/record-requests.schemas";
import { replaceRecord } from "../../../data/records/replace-record";
import { apiRoute } from "../api-route";
import { dataRateLimit } from "../../rate-limits";
import { jsonResponse } from "../json-response";

const ifMatch = (request: Request) => request.headers.get("if-match") ?? undefined;

/** One record, with an ETag; If-None-Match → 304. */
export const GET = apiRoute({
  endpoint: "/api/v1/lake/data/[id]",
  permission: "read",
  rateLimit: dataRateLimit,
  params: recordParamsSchema,
  handler: async (input) => {
    const { record, etag } = await getRecord({ ...input.services, id: input.params.id });
    const ifNoneMatch = input.request.headers.get("if-none-match");
    if (ifNoneMatch && etagMatches(ifNoneMatch, etag)) {
      return new Response(null, { status: 304, headers: { ETag: etag } });
    }
    return jsonResponse(record, { headers: { ETag: etag } });
  },
});

/** Replace the payload; If-Match → 412 when the record changed since it was read. */
export const PUT = apiRoute({
  endpoint: "/api/v1/lake/data/[id]",
  permission: "write",
  rateLimit: dataRateLimit,
  params: recordParamsSchema,
  body: replaceRecordBodySchema,
  handler: async (input) => {
    const { record, etag } = await replaceRecord({
      ...input.services,
      id: input.params.id,
      payload: input.body.payload,
      ifMatch: ifMatch(input.request),
    });
    return jsonResponse(record, { headers: { ETag: etag } });
  },
});

export const DELETE = apiRoute({
  endpoint: "/api/v1/lake/data/[id]",
  permission: "delete",
  rateLimit: dataRateLimit,
  params: recordParamsSchema,
  handler: async (input) => {
    await deleteRecord({
      ...input.services,
      id: input.params.id,
      ifMatch: ifMatch(input.request),
    });
    return new Response(null, { status: 204 });
  },
});
