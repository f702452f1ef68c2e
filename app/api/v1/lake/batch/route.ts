import { batchBodySchema } from "@/server/data/records/batch.schemas";
import { runBatch } from "@/server/data/records/run-batch";
import { apiRoute } from "@/server/http/api-route";
import { dataRateLimit } from "@/server/http/data-rate-limit";
import { serviceContext } from "@/server/http/request-services";

export const dynamic = "force-dynamic";

/** Several record operations at once, atomic by default (README: "Batch"). */
export const POST = apiRoute({
  endpoint: "/api/v1/lake/batch",
  // Each operation checks its own permission (write or delete) in its service.
  permission: "authenticated",
  rateLimit: dataRateLimit,
  body: batchBodySchema,
  handler: async (input) => {
    const results = await runBatch({ ...serviceContext(input), batch: input.body });
    return { atomic: input.body.atomic, results };
  },
});
