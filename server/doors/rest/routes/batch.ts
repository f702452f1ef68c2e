import { batchBodySchema } from "../../../data/records/batch.schemas";
import { runBatch } from "../../../data/records/run-batch";
import { apiRoute } from "../api-route";
import { dataRateLimit } from "../../rate-limits";

/** Several record operations at once, atomic by default (README: "Batch"). */
export const POST = apiRoute({
  endpoint: "/api/v1/lake/batch",
  // Each operation checks its own permission (write or delete) in its service.
  permission: "authenticated",
  rateLimit: dataRateLimit,
  body: batchBodySchema,
  handler: async (input) => {
    const results = await runBatch({ ...input.services, batch: input.body });
    return { atomic: input.body.atomic, results };
  },
});
