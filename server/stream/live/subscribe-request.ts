import { z } from "zod";

import { authorize } from "../../auth/authorize";
import { findDatasetCached } from "../../data/datasets/find-dataset";
import { parsePayloadFilter } from "../../data/records/query/parse-payload-filter";
import { AppError } from "../../errors/app-error";
import { type ServiceContext } from "../../service-context";
import { TOPICS } from "../events/topics";
import { type SubscriptionSpec } from "./subscription";

const MAX_FILTERS = 20;

/** A subscription as every door receives it (WebSocket message, SSE query, gRPC request). */
export const subscribeRequestSchema = z
  .object({
    topics: z
      .array(z.enum(TOPICS, { error: `Unknown topic: the topics are ${TOPICS.join(", ")}.` }))
      .min(1, "Name at least one topic.")
      .max(TOPICS.length),
    /** The records topic: the dataset (id or name) whose record changes to receive. */
    dataset: z.string().min(1).max(200).optional(),
    /** REST filter syntax on the payload: { "payload.status": "eq.open" }. */
    filter: z
      .record(z.string().max(200), z.string().max(4000))
      .refine(
        (filter) => Object.keys(filter).length <= MAX_FILTERS,
        `At most ${MAX_FILTERS} filters.`,
      )
      .optional(),
    /** Resume after this offset (the last one received); unset: from now. */
    after: z
      .string()
      .regex(/^\d{1,19}$/, "An offset is a decimal integer.")
      .optional(),
  })
  .strict();

export type SubscribeRequest = z.infer<typeof subscribeRequestSchema>;

/**
 * Checks a subscription for its caller: the read permission, the records topic's dataset (which
 * must exist; its policy then decides per event), and the filters.
 */
export async function resolveSubscription(
  context: Pick<ServiceContext, "db" | "principal">,
  request: SubscribeRequest,
): Promise<SubscriptionSpec> {
  authorize(context.principal, "read");
  const wantsRecords = request.topics.includes("records");
  if (wantsRecords !== (request.dataset !== undefined)) {
    throw new AppError(
      "validation_failed",
      wantsRecords
        ? "The records topic needs a dataset (its id or name)."
        : "A dataset goes with the records topic only.",
      [{ path: "dataset", message: "records and dataset come together" }],
    );
  }
  const dataset = request.dataset
    ? await findDatasetCached(context.db, request.dataset)
    : undefined;
  const filters = Object.entries(request.filter ?? {}).map(([key, value]) => {
    if (!key.startsWith("payload.")) {
      throw new AppError("validation_failed", `Filter "${key}" must start with "payload.".`, [
        { path: `filter.${key}`, message: "filters apply to the payload" },
      ]);
    }
    return parsePayloadFilter(key, value);
  });
  return {
    topics: [...new Set(request.topics)],
    dataset: dataset && { id: dataset.id, name: dataset.name, policy: dataset.policy },
    filters,
    after: request.after,
  };
}
