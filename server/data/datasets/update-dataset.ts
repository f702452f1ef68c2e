import { recordAudit } from "../../audit/record-audit";
import { authorize } from "../../auth/authorize";
import { Prisma } from "../../db/generated/client";
import { AppError } from "../../errors/app-error";
import { toAppError } from "../../errors/to-app-error";
import { countVisibleRecords } from "./count-visible-records";
import { assertDatasetManager, assertMayTouchOthersRecords } from "./dataset-policy";
import {
  datasetSummary,
  toDatasetView,
  updateDatasetInputSchema,
  type DatasetView,
} from "./datasets.schemas";
import { lockDatasetById } from "./datasets.queries";
import { findDataset } from "./find-dataset";
import { requestPayloadIndexUpkeep } from "./payload-index-upkeep";
import { compileDatasetSchema } from "./payload-validator";
import { type ServiceContext } from "../../service-context";
import { invalidateDataset } from "./invalidate-dataset";

export type UpdateDatasetOptions = ServiceContext & {
  /** The dataset's id or name. */
  datasetRef: string;
  /** Omitted fields stay as they are. null or "" clears it. */
  description?: string | null;
  /** Takes effect at once for every record: user_data hides others' records, analytics shows them. */
  policy?: "user_data" | "analytics";
  /**
   * A new JSON Schema for payloads, or null to remove it. Only later writes are checked against
   * it: existing records are not re-validated and may no longer match.
   */
  schema?: Record<string, unknown> | null;
  /** Asks for (true) or drops (false) the GIN index of its payloads; built in the background. */
  payloadIndex?: boolean;
};

/**
 * Changes a dataset's description, policy, schema or payload index; its name and owner never
 * change. A change to nothing is a no-op with no audit entry.
 */
export async function updateDataset(options: UpdateDatasetOptions): Promise<DatasetView> {
  const { db, principal } = options;
  authorize(principal, "write");
  const parsed = updateDatasetInputSchema.safeParse({
    description: options.description,
    policy: options.policy,
    schema: options.schema,
    payload_index: options.payloadIndex,
  });
  if (!parsed.success) throw toAppError(parsed.error);
  const input = parsed.data;
  const found = await findDataset(db, options.datasetRef);
  assertDatasetManager(principal, found);
  // Existing records are deliberately not re-validated against a new schema: that is a scan of
  // the whole dataset inside this request, and a record written under the old schema was valid
  // when written. Writes from now on (creates and updates) must satisfy the new one.
  if (input.schema) compileDatasetSchema(input.schema);

  const result = await db.prisma.$transaction(async (tx) => {
    // Serializes concurrent updates, so the audit entry's "before" is what this change replaced.
    if (!(await lockDatasetById(tx, found.id))) {
      throw new AppError("not_found", `Dataset "${options.datasetRef}" was not found.`);
    }
    const before = await tx.dataset.findUniqueOrThrow({ where: { id: found.id } });
    if (input.policy !== undefined && input.policy !== before.policy) {
      await assertMayTouchOthersRecords(tx, principal, before, "change the policy");
    }
    const next = {
      description: input.description === undefined ? before.description : input.description,
      policy: input.policy ?? before.policy,
      jsonSchema: input.schema === undefined ? before.jsonSchema : input.schema,
      payloadIndex: input.payload_index ?? before.payloadIndex,
    };
    if (
      next.description === before.description &&
      next.policy === before.policy &&
      next.payloadIndex === before.payloadIndex &&
      // Compared as text, not deeply: a schema whose properties only changed order is a change
      // (it is stored as written, and its order is the Data grid's column order).
      JSON.stringify(next.jsonSchema) === JSON.stringify(before.jsonSchema)
    ) {
      const counts = await countVisibleRecords(tx, principal, [before]);
      return { view: toDatasetView(before, counts.get(before.id) ?? 0), indexChanged: false };
    }

    const updated = await tx.dataset.update({
      where: { id: before.id },
      data: {
        description: next.description,
        policy: next.policy,
        jsonSchema:
          next.jsonSchema === null ? Prisma.DbNull : (next.jsonSchema as Prisma.InputJsonValue),
        payloadIndex: next.payloadIndex,
        // Asked for anew or turned off: not ready until the upkeep has built it.
        ...(next.payloadIndex !== before.payloadIndex ? { payloadIndexReady: false } : {}),
        // Payload validators are cached by (id, updatedAt): two updates within one millisecond
        // must still give the second schema a version of its own.
        updatedAt: new Date(Math.max(Date.now(), before.updatedAt.getTime() + 1)),
      },
    });
    await recordAudit(
      { prisma: tx },
      {
        actor: principal,
        action: "dataset.update",
        resource: { type: "dataset", id: updated.id },
        summary: { before: datasetSummary(before), after: datasetSummary(updated) },
        ip: options.ip,
        requestId: options.requestId,
      },
    );
    const counts = await countVisibleRecords(tx, principal, [updated]);
    return {
      view: toDatasetView(updated, counts.get(updated.id) ?? 0),
      indexChanged: next.payloadIndex !== before.payloadIndex,
    };
  });
  await invalidateDataset(options.cache, result.view.id);
  if (result.indexChanged) void requestPayloadIndexUpkeep(options);
  return result.view;
}
