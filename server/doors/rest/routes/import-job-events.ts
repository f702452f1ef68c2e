import { apiRoute } from "../api-route";
import { importRateLimit } from "../../rate-limits";
import { jobParamsSchema } from "../../../imports/imports.schemas";
import { streamImportEvents } from "../../../imports/jobs/stream-import-events";

/** Live progress as server-sent events; the first event is the current state. */
export const GET = apiRoute({
  endpoint: "/api/v1/lake/import/jobs/[id]/events",
  permission: "read",
  rateLimit: importRateLimit,
  params: jobParamsSchema,
  handler: async (input) => {
    const { db, cache, principal } = input.services;
    const body = await streamImportEvents({
      db,
      cache,
      principal,
      id: input.params.id,
      signal: input.request.signal,
    });
    return new Response(body, {
      headers: {
        "Content-Type": "text/event-stream; charset=utf-8",
        "Cache-Control": "no-cache, no-transform",
        "X-Accel-Buffering": "no",
      },
    });
  },
});
